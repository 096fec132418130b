/**
 * The records of an analysis store file, one per line: a header naming what the file belongs to,
 * one record per finished window in index order, and a last record once the analysis is done.
 */
import type { WindowResult } from '../../shared/analysis.js';
import type { StoreKey } from './store-key.js';

export const STORE_FORMAT = 'longview-store';
export const STORE_VERSION = 1;

/**
 * Longest line (bytes, newline included) a store may hold. A realistic window record is about
 * 35 KB (400 logits + a 96×14×14 heatmap in base64); the limit leaves room for far larger models
 * while keeping a hostile file from making the reader buffer gigabytes looking for a newline.
 */
export const MAXIMUM_RECORD_BYTES = 16 * 1024 * 1024;

/** How an analysis ended, kept so a finished analysis can be exported again without the video. */
export interface FinishedSummary {
  /** null when the decoder delivered the whole video; otherwise why not, in words. */
  partialReason: string | null;
  /** Seconds of video covered by windows. */
  analyzedSeconds: number;
  /** Frames the decoder delivered. */
  framesDelivered: number;
  /** Timestamp of the last delivered frame, seconds; null when none came. */
  lastFrameSeconds: number | null;
  /** Backend that computed the windows, in words (e.g. "wasm (SIMD, 2 threads)"), for the export. */
  backend: string;
}

export interface HeaderRecord {
  kind: 'header';
  format: typeof STORE_FORMAT;
  version: typeof STORE_VERSION;
  key: StoreKey;
  /** ISO 8601, when the file was started. */
  createdAt: string;
}

export interface WindowRecord {
  kind: 'window';
  window: WindowResult;
}

export interface FinishedRecord {
  kind: 'finished';
  summary: FinishedSummary;
}

export type StoreRecord = HeaderRecord | WindowRecord | FinishedRecord;
