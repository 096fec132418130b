/**
 * The decoder's public shapes, apart from its code so the pure helpers (frame pairing, the end
 * verdict) can share them without importing the process-handling module.
 */
import type { FfmpegTools } from './tools.js';

export interface DecodeOptions {
  tools: FfmpegTools;
  /** Frames per second the video is resampled to (by timestamp) before striding. */
  samplingFps: number;
  /** Keep every frameStride-th resampled frame; a whole number ≥ 1. */
  frameStride: number;
  /** Side of the square RGB frames delivered, pixels. */
  imageSize: number;
  /**
   * Sampled frames to skip from the video's start (a resumed run); a whole number ≥ 0, default 0.
   * ffmpeg seeks to a little before it, and the frames delivered equal a full run's from there on.
   */
  firstFrame?: number;
  /** Kills ffmpeg; the stream then fails with LongviewError('usage', 'cancelled'). */
  signal?: AbortSignal;
  /** Milliseconds without any output from ffmpeg before it counts as stalled; default 30 000. */
  stallTimeoutMs?: number;
  /** Stored pictures above this many pixels are refused; default 8192². */
  maxPixels?: number;
}

export interface DecodedFrame {
  /**
   * Sampled index from the video's start, from the timestamp: seconds × samplingFps ÷ frameStride,
   * rounded to the grid. Consecutive; starts at firstFrame (at 0 unless the video stream itself
   * starts late in the file).
   */
  index: number;
  /** The decoder's presentation time of this frame, seconds from the start of the file. */
  seconds: number;
  /** imageSize × imageSize × 3 bytes, row-major HWC RGB; owns its memory. */
  rgb: Uint8Array;
}

export interface DecodeSummary {
  /** Frames ffmpeg produced completely (bytes and timestamp), whether or not the caller took them all. */
  framesDelivered: number;
  lastFrameSeconds: number | null;
  /** The video was not decoded to its end (damage, early end, or the caller stopped). */
  partial: boolean;
  /** Why, in words, e.g. "the file ends early: decoded 12.0 of 30.0 s". */
  partialReason: string | null;
  /** Notable ffmpeg complaints and oddities, for logs. */
  warnings: string[];
}

export interface FrameStream {
  /** The frames in order. Breaking out of the loop stops ffmpeg (see cancel). */
  frames(): AsyncIterableIterator<DecodedFrame>;
  /**
   * Settles after ffmpeg is reaped. Rejects with a LongviewError when nothing could be decoded,
   * on a stall, or when the signal aborts; resolves (partial) when the caller stopped early.
   * ffmpeg waits for its frames to be read (memory stays bounded), so read the frames (or cancel)
   * before awaiting this.
   */
  done: Promise<DecodeSummary>;
  /** Stops decoding now: ffmpeg is killed, the frames end, `done` resolves as partial. */
  cancel(): void;
}
