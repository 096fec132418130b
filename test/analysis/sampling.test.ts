import { describe, expect, it } from 'vitest';
import { expectedSampledFrames, resolveNormalization, resolveSampling, windowSeconds } from '../../src/analysis/sampling.js';

describe('resolveSampling', () => {
  // model frames, flags → frame stride, window frames, window stride (sampled frames), window seconds
  const cases: [string, number, Parameters<typeof resolveSampling>[0] extends infer R ? Partial<R> : never, number, number, number, number][] = [
    ['TimeSformer (8 × 32)', 8, {}, 32, 8, 4, 8.533],
    ['TimeSformer-HR (16 × 16)', 16, {}, 16, 16, 8, 8.533],
    ['TimeSformer-L (96 × 4)', 96, {}, 4, 96, 48, 12.8],
    ['an unusual length keeps about 8.5 s', 32, {}, 8, 32, 16, 8.533],
    ['96-frame windows on an 8-frame model', 8, { windowFrames: 96, frameStride: 4 }, 4, 96, 48, 12.8],
    ['window stride in seconds rounds to sampled frames', 96, { windowStrideSeconds: 5 }, 4, 96, 38, 12.8],
    ['a tiny window stride is at least one frame', 8, { windowStrideSeconds: 0.001 }, 32, 8, 1, 8.533],
  ];
  it.each(cases)('%s', (_name, modelFrames, flags, frameStride, windowFrames, windowStrideFrames, seconds) => {
    const sampling = resolveSampling({ modelFrames, imageSize: 224, ...flags });
    expect(sampling).toMatchObject({ samplingFps: 30, frameStride, windowFrames, windowStrideFrames, imageSize: 224 });
    expect(windowSeconds(sampling)).toBeCloseTo(seconds, 3);
  });

  const bad: [string, Partial<Parameters<typeof resolveSampling>[0]>, RegExp][] = [
    ['zero window frames', { windowFrames: 0 }, /--window-frames/],
    ['fractional window frames', { windowFrames: 2.5 }, /--window-frames/],
    ['huge window', { windowFrames: 10_000 }, /--window-frames/],
    ['zero frame stride', { frameStride: 0 }, /--frame-stride/],
    ['negative window stride', { windowStrideSeconds: -1 }, /--window-stride-s/],
    ['NaN window stride', { windowStrideSeconds: Number.NaN }, /--window-stride-s/],
    ['zero fps', { samplingFps: 0 }, /sampling rate/],
  ];
  it.each(bad)('refuses %s', (_name, flags, message) => {
    expect(() => resolveSampling({ modelFrames: 8, imageSize: 224, ...flags })).toThrow(message);
  });
});

describe('expectedSampledFrames', () => {
  const sampling = resolveSampling({ modelFrames: 96, imageSize: 224 });
  it.each([
    [0, 0],
    [Number.NaN, 0],
    [1, 8], // 7.5 sampled frames per second, rounded up
    [12.8, 96],
    [60, 450],
  ])('%s s → %s frames', (seconds, frames) => {
    expect(expectedSampledFrames(seconds, sampling)).toBe(frames);
  });
});

describe('resolveNormalization', () => {
  it('defaults to the released checkpoints: /255, mean 0.45, std 0.225', () => {
    expect(resolveNormalization(undefined)).toEqual({ rescale: 1 / 255, mean: [0.45, 0.45, 0.45], std: [0.225, 0.225, 0.225] });
  });
  it('takes the preprocessor config, one value or three', () => {
    expect(resolveNormalization({ image_mean: [0.5], image_std: [0.5, 0.25, 0.125], rescale_factor: 0.5 })).toEqual({ rescale: 0.5, mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 0.125] });
  });
  it('honours do_rescale and do_normalize being off', () => {
    expect(resolveNormalization({ do_rescale: false, do_normalize: false, image_mean: [0.5] })).toEqual({ rescale: 1, mean: [0, 0, 0], std: [1, 1, 1] });
  });
  it('refuses a channel count that is neither 1 nor 3', () => {
    expect(() => resolveNormalization({ image_mean: [0.1, 0.2] })).toThrow(/2 channel values/);
  });
});
