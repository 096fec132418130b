/**
 * Deterministic, realistically sized WindowResults for the store tests and their child processes:
 * 400 float32-derived logits, 96 frame times and a 96×14×14 heatmap (TimeSformer-L on Kinetics-400),
 * about 35 KB as a store line. The same index always gives the same window, so a test can rebuild
 * what a killed child wrote.
 */
import type { WindowResult } from '../../../src/shared/analysis.js';
import type { StoreKey } from '../../../src/analysis/store/analysis-store.js';

export interface WindowShape {
  classes: number;
  frames: number;
  patches: number;
}

export const REALISTIC_SHAPE: WindowShape = { classes: 400, frames: 96, patches: 14 };

/** xorshift32: a tiny seeded generator, so values look arbitrary but repeat exactly. */
function generator(seed: number): () => number {
  let state = (seed * 2654435761 + 1) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

export function sampleWindow(index: number, shape: WindowShape = REALISTIC_SHAPE): WindowResult {
  const next = generator(index);
  const strideFrames = 48;
  const secondsPerFrame = 4 / 30;
  const startFrame = index * strideFrames;
  const frameTimes = Array.from({ length: shape.frames }, (_, frame) => (startFrame + frame) * secondsPerFrame);
  const heatmapBytes = shape.frames * shape.patches * shape.patches;
  return {
    index,
    startFrame,
    realFrames: shape.frames,
    padded: false,
    frameTimes,
    startSeconds: frameTimes[0] ?? 0,
    endSeconds: (startFrame + shape.frames) * secondsPerFrame,
    // Doubles that came from float32, as the model's logits do.
    logits: Array.from({ length: shape.classes }, () => Math.fround((next() - 0.5) * 20)),
    heatmap: {
      frames: shape.frames,
      height: shape.patches,
      width: shape.patches,
      data: Uint8Array.from({ length: heatmapBytes }, () => Math.floor(next() * 256)),
      maximum: Math.fround(next()),
    },
  };
}

export function sampleKey(parameters: Record<string, unknown> = { samplingFps: 30, frameStride: 4, windowFrames: 96 }): StoreKey {
  return { video: { sizeBytes: 123_456_789, sha256: 'ab'.repeat(32) }, modelChecksum: 'cd'.repeat(32), parameters };
}

/** The finished record the crash test's child writes. */
export const CRASH_SUMMARY = { partialReason: null, analyzedSeconds: 42.5, framesDelivered: 1275, lastFrameSeconds: 42.466, backend: 'wasm (SIMD, 2 threads)' };
