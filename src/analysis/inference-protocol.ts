/**
 * Messages between the analysis (which coordinates) and the inference worker (which computes).
 * The forward pass is synchronous on the wasm and cpu backends; in a worker thread it blocks
 * nothing else, so decoding the next window overlaps it and the caller's event loop stays free.
 */
import type { Normalization } from '../shared/analysis.js';
import type { ErrorKind } from '../shared/errors.js';
import type { BackendName } from '../model/backend.js';

export interface LoadRequest {
  type: 'load';
  modelPath: string;
  configPath?: string | undefined;
  labelsPath?: string | undefined;
  backend?: BackendName | undefined;
  threads?: number | undefined;
}

export interface InferRequest {
  type: 'infer';
  /** The window's index, echoed back. */
  window: number;
  /** [T, S, S, 3] RGB bytes, transferred (not copied) to the worker. */
  pixels: Uint8Array;
  frames: number;
  imageSize: number;
  /** Frames from the video; the heatmap and space_only logits use only these. */
  realFrames: number;
  normalization: Normalization;
}

export type WorkerRequest = LoadRequest | InferRequest;

export interface LoadedResponse {
  type: 'loaded';
  /** What computes, in words, e.g. "wasm (SIMD, 2 threads)". */
  backend: string;
  /** The same with notes and the faster backends passed over, and why. */
  details: string;
  backendName: BackendName;
}

export interface LayerResponse {
  type: 'layer';
  window: number;
  done: number;
  total: number;
}

export interface ResultResponse {
  type: 'result';
  window: number;
  /** [labels] raw scores. */
  logits: Float32Array;
  /** [realFrames, S/p, S/p] rollout / its maximum, as bytes 0..255. */
  heatmap: { frames: number; height: number; width: number; data: Uint8Array; maximum: number };
  /** Milliseconds the forward pass took. */
  milliseconds: number;
}

export interface ErrorResponse {
  type: 'error';
  /** The window being computed, when the failure belongs to one. */
  window?: number;
  kind: ErrorKind;
  reason: string;
  message: string;
}

export type WorkerResponse = LoadedResponse | LayerResponse | ResultResponse | ErrorResponse;
