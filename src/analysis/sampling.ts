/**
 * How a model sees a video: which frames it samples, how many make a window, how far windows
 * move, and how pixels are normalized. Pure: config, preprocessor and flags in; plain numbers out.
 *
 * TimeSformer was trained on clips of `num_frames` frames taken every `SAMPLING_RATE` frames of
 * the video resampled to 30 fps (official `TARGET_FPS`). The released presets:
 *   TimeSformer     8 × 32 at 224 px  → an 8.5 s window
 *   TimeSformer-HR 16 × 16 at 448 px  → 8.5 s
 *   TimeSformer-L  96 ×  4 at 224 px  → 12.8 s
 */
import type { Normalization, SamplingParams } from '../shared/analysis.js';
import { UsageError } from '../shared/errors.js';

export const DEFAULT_SAMPLING_FPS = 30;

/** num_frames → frame stride of the released checkpoints (field survey §1.1). */
const PRESET_FRAME_STRIDE: ReadonlyMap<number, number> = new Map([
  [8, 32],
  [16, 16],
  [96, 4],
]);

/** Models of other lengths get a stride that makes their window about as long as the base model's. */
const DEFAULT_WINDOW_SECONDS = 8.5;

export interface SamplingRequest {
  /** The model's config.num_frames and config.image_size. */
  modelFrames: number;
  imageSize: number;
  /** Flags; undefined means "the preset". */
  windowFrames?: number | undefined;
  frameStride?: number | undefined;
  windowStrideSeconds?: number | undefined;
  samplingFps?: number | undefined;
}

/** The largest window we accept: 4× TimeSformer-L's, already about 10 minutes of compute per window on a CPU. */
const MAX_WINDOW_FRAMES = 384;

export function resolveSampling(request: SamplingRequest): SamplingParams {
  const samplingFps = request.samplingFps ?? DEFAULT_SAMPLING_FPS;
  if (!(samplingFps > 0 && samplingFps <= 240)) throw new UsageError(`the sampling rate must be between 0 and 240 fps (got ${samplingFps})`);
  const windowFrames = request.windowFrames ?? request.modelFrames;
  if (!Number.isSafeInteger(windowFrames) || windowFrames < 1 || windowFrames > MAX_WINDOW_FRAMES) {
    throw new UsageError(`--window-frames must be a whole number from 1 to ${MAX_WINDOW_FRAMES} (got ${windowFrames})`);
  }
  const frameStride = request.frameStride ?? presetFrameStride(windowFrames, samplingFps);
  if (!Number.isSafeInteger(frameStride) || frameStride < 1 || frameStride > 1000) {
    throw new UsageError(`--frame-stride must be a whole number from 1 to 1000 (got ${frameStride})`);
  }
  let windowStrideFrames = Math.max(1, Math.ceil(windowFrames / 2));
  if (request.windowStrideSeconds !== undefined) {
    const seconds = request.windowStrideSeconds;
    if (!(Number.isFinite(seconds) && seconds > 0 && seconds <= 3600)) throw new UsageError(`--window-stride-s must be a positive number of seconds, at most 3600 (got ${seconds})`);
    // The stride is a whole number of sampled frames, so every window starts on a sampled frame.
    windowStrideFrames = Math.max(1, Math.round((seconds * samplingFps) / frameStride));
  }
  return { samplingFps, frameStride, windowFrames, windowStrideFrames, imageSize: request.imageSize };
}

function presetFrameStride(windowFrames: number, samplingFps: number): number {
  const preset = PRESET_FRAME_STRIDE.get(windowFrames);
  if (preset !== undefined) return preset;
  return Math.max(1, Math.round((DEFAULT_WINDOW_SECONDS * samplingFps) / windowFrames));
}

/** Seconds one window spans: windowFrames sampled frames, each frameStride source frames long. */
export function windowSeconds(sampling: SamplingParams): number {
  return (sampling.windowFrames * sampling.frameStride) / sampling.samplingFps;
}

/** Seconds between two sampled frames. */
export function sampledFrameSeconds(sampling: SamplingParams): number {
  return sampling.frameStride / sampling.samplingFps;
}

/**
 * Windows a video of `sampledFrames` sampled frames yields: the full ones, plus a padded last
 * one when frames after the last full window would otherwise go unseen.
 */
export function windowCount(sampledFrames: number, sampling: SamplingParams): number {
  if (sampledFrames <= 0) return 0;
  const { windowFrames, windowStrideFrames } = sampling;
  const full = sampledFrames >= windowFrames ? Math.floor((sampledFrames - windowFrames) / windowStrideFrames) + 1 : 0;
  const covered = full === 0 ? 0 : (full - 1) * windowStrideFrames + windowFrames;
  const nextStart = full * windowStrideFrames;
  return full + (covered < sampledFrames && nextStart < sampledFrames ? 1 : 0);
}

/** Sampled frames expected from a video of `durationSeconds` (an estimate: durations lie). */
export function expectedSampledFrames(durationSeconds: number, sampling: SamplingParams): number {
  if (!(durationSeconds > 0)) return 0;
  return Math.max(1, Math.ceil((durationSeconds * sampling.samplingFps) / sampling.frameStride - 1e-6));
}

/** ImageNet-style defaults of the released TimeSformer checkpoints: /255, mean 0.45, std 0.225. */
export const TIMESFORMER_NORMALIZATION: Normalization = { rescale: 1 / 255, mean: [0.45, 0.45, 0.45], std: [0.225, 0.225, 0.225] };

/** The checkpoint's preprocessor_config.json values, where it has them; the defaults above elsewhere. */
export function resolveNormalization(
  preprocessor: { image_mean?: number[]; image_std?: number[]; rescale_factor?: number; do_rescale?: boolean; do_normalize?: boolean } | undefined,
): Normalization {
  const channels = (values: number[] | undefined, fallback: [number, number, number]): [number, number, number] => {
    if (values === undefined) return fallback;
    if (values.length === 1) return [values[0]!, values[0]!, values[0]!];
    if (values.length === 3) return [values[0]!, values[1]!, values[2]!];
    throw new UsageError(`the preprocessor config has ${values.length} channel values; expected 1 or 3`);
  };
  const normalize = preprocessor?.do_normalize !== false;
  return {
    rescale: preprocessor?.do_rescale === false ? 1 : (preprocessor?.rescale_factor ?? TIMESFORMER_NORMALIZATION.rescale),
    mean: normalize ? channels(preprocessor?.image_mean, TIMESFORMER_NORMALIZATION.mean) : [0, 0, 0],
    std: normalize ? channels(preprocessor?.image_std, TIMESFORMER_NORMALIZATION.std) : [1, 1, 1],
  };
}
