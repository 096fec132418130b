/**
 * The exported analysis: Longview's JSON format, version 1. `resources/schemas/` holds its JSON
 * Schema; CSV, WebVTT, SRT and ELAN exports are views of the same document.
 */
import type { Normalization, SamplingParams, ScoredLabel, Segment, SegmentationParams } from './analysis.js';

export const RESULT_FORMAT = 'longview-analysis';
export const RESULT_VERSION = 1;

export interface ResultDocument {
  format: typeof RESULT_FORMAT;
  version: typeof RESULT_VERSION;
  /** ISO 8601, when the document was written: the only field that differs between identical runs. */
  createdAt: string;
  app: { name: 'longview'; version: string };
  video: {
    path: string;
    sizeBytes: number;
    durationSeconds: number;
    averageFrameRate: number;
    width: number;
    height: number;
    rotation: number;
    variableFrameRate: boolean;
  };
  model: {
    /** Hub id when known, else the folder or file name. */
    id: string;
    path: string;
    /** SHA-256 over the weight files, hex. */
    checksum: string;
    license: string;
    attentionType: string;
    labels: string[];
  };
  analysis: {
    sampling: SamplingParams;
    normalization: Normalization;
    /** Backend that computed the windows, in words, e.g. "wasm (SIMD, 2 threads)". */
    backend: string;
    segmentation: SegmentationParams;
    /** Did the decoder deliver the whole video? */
    complete: boolean;
    /** When not complete: why, in words (e.g. "the file ends early: decoded 12.0 of 30.0 s"). */
    partialReason: string | null;
    /** Seconds of video covered by windows. */
    analyzedSeconds: number;
  };
  segments: Segment[];
  /** Per window: where it lies and its top classes (the full logits stay in the analysis store). */
  windows: {
    index: number;
    startSeconds: number;
    endSeconds: number;
    padded: boolean;
    top: ScoredLabel[];
  }[];
}
