import { describe, expect, it } from 'vitest';
import type { WindowResult } from '../../src/shared/analysis.js';
import { AnalysisProgress, formatTimestamp, progressBar } from '../../src/cli/analysis-progress.js';

function window(index: number, start: number, end: number): WindowResult {
  return { index, startFrame: index, realFrames: 1, padded: false, frameTimes: [start], startSeconds: start, endSeconds: end, logits: [0], heatmap: { frames: 1, height: 1, width: 1, data: new Uint8Array(1), maximum: 1 } };
}

describe('progress text', () => {
  it.each([
    [0, 10, '[..........]'],
    [0.5, 10, '[#####.....]'],
    [1, 4, '[####]'],
    [7, 4, '[####]'],
    [Number.NaN, 4, '[....]'],
  ])('bar %s of %s', (fraction, width, expected) => {
    expect(progressBar(fraction, width)).toBe(expected);
  });

  it.each([
    [0, '0:00:00'],
    [59.9, '0:00:59'],
    [3725.4, '1:02:05'],
  ])('timestamp %s → %s', (seconds, expected) => {
    expect(formatTimestamp(seconds)).toBe(expected);
  });
});

describe('AnalysisProgress', () => {
  it('estimates from windows computed in this run only, and speed from new video time', () => {
    const progress = new AnalysisProgress();
    const sampling = { samplingFps: 30, frameStride: 4, windowFrames: 96, windowStrideFrames: 48, imageSize: 224 };
    // 10 windows, 4 already stored by an earlier run.
    progress.update({ type: 'plan', sampling, windowsTotal: 10, windowsStored: 4, storePath: '/x' }, 0);
    expect(progress.line(0)).toContain('4/10 windows · 40%');
    expect(progress.line(0)).toContain('estimating time left');
    progress.update({ type: 'loaded', backend: 'wasm', details: 'wasm' }, 1_000);
    // Two windows of 12.8 s, overlapping by half, each taking 10 s of compute.
    progress.update({ type: 'window', window: window(4, 25.6, 38.4), top: [], windowsDone: 5, windowsTotal: 10, computeSeconds: 10 }, 11_000);
    progress.update({ type: 'window', window: window(5, 32.0, 44.8), top: [], windowsDone: 6, windowsTotal: 10, computeSeconds: 10 }, 21_000);
    // 4 windows left at 10 s each.
    expect(progress.secondsLeft(21_000)).toBeCloseTo(40, 9);
    // 12.8 + 6.4 s of new video in 20 s.
    expect(progress.speed(21_000)).toBeCloseTo(19.2 / 20, 9);
    expect(progress.line(21_000)).toBe('[##############..........] 6/10 windows · 60% · 0.96× real time · 40s left');
    // Half-way through the next window, the bar and the estimate move.
    progress.update({ type: 'layer', window: 6, done: 6, total: 12 }, 26_000);
    expect(progress.secondsLeft(26_000)).toBeCloseTo(3.5 * (25 / 2.5), 9);
    expect(progress.line(26_000)).toContain('window 7 layer 6/12');
    progress.update({ type: 'decoded', windowsTotal: 9, partialReason: null }, 27_000);
    expect(progress.line(27_000)).toContain('6/9 windows');
  });
});
