import { describe, expect, it } from 'vitest';
import type { SamplingParams, WindowResult } from '../../src/shared/analysis.js';
import type { AnalysisSnapshot, AnalysisUpdate } from '../../src/shared/api.js';
import { EMPTY_VIEW, analysedUntil, analysisKey, applyUpdate, progressFigures, snapshotView, startingView, type AnalysisView } from '../../renderer/src/lib/analysis-view.js';

const sampling: SamplingParams = { samplingFps: 30, frameStride: 4, windowFrames: 8, windowStrideFrames: 4, imageSize: 32 };
const model = { id: 'tiny', license: 'MIT', labels: ['a', 'b'] };

/** Window i covers [i·0.5, i·0.5 + 1) s: 8 frames every 4/30 s ≈ 1.07 s, rounded here to 1 s. */
function window(index: number): WindowResult {
  return {
    index,
    startFrame: index * 4,
    realFrames: 8,
    padded: false,
    frameTimes: Array.from({ length: 8 }, (_, i) => index * 0.5 + i * 0.125),
    startSeconds: index * 0.5,
    endSeconds: index * 0.5 + 1,
    logits: [0, 1],
    heatmap: { frames: 8, height: 1, width: 1, data: new Uint8Array(8), maximum: 1 },
  };
}

function windowUpdate(index: number, windowsDone: number, windowsTotal: number | null, computeSeconds = 1): AnalysisUpdate {
  return { jobId: 'job', type: 'event', event: { type: 'window', window: window(index), top: [], windowsDone, windowsTotal, computeSeconds } };
}

function run(updates: Array<[AnalysisUpdate, number]>, from: AnalysisView = { ...EMPTY_VIEW, status: 'starting' }): AnalysisView {
  return updates.reduce((view, [update, now]) => applyUpdate(view, update, now), from);
}

const started: AnalysisUpdate = { jobId: 'job', type: 'started', analysisId: 'an-1', videoId: 'v', model };

describe('applyUpdate', () => {
  it('follows a run from start to completion', () => {
    let view = run([
      [started, 0],
      [{ jobId: 'job', type: 'event', event: { type: 'plan', sampling, windowsTotal: 3, windowsStored: 0, storePath: '/s' } }, 0],
      [{ jobId: 'job', type: 'event', event: { type: 'loaded', backend: 'wasm', details: '' } }, 0],
      [{ jobId: 'job', type: 'event', event: { type: 'layer', window: 0, done: 2, total: 4 } }, 500],
    ]);
    expect(view).toMatchObject({ status: 'running', jobId: 'job', analysisId: 'an-1', backend: 'wasm', windowsTotal: 3, layer: { window: 0, done: 2, total: 4 } });

    view = run([[windowUpdate(0, 1, 3), 1000], [{ jobId: 'job', type: 'segments', segments: [] }, 1000], [windowUpdate(1, 2, 3), 2000]], view);
    expect(view.windows.map((w) => w.index)).toEqual([0, 1]);
    expect(view.layer).toBeNull();
    expect(view.windowsDone).toBe(2);

    const snapshot: AnalysisSnapshot = {
      analysisId: 'an-1',
      videoId: 'v',
      model,
      sampling,
      backend: 'wasm',
      windows: [window(2), window(0), window(1)],
      segmentation: { scores: 'mean-softmax', smoothingSeconds: 0, enterThreshold: 0.5, exitThreshold: 0.3, minDurationSeconds: 0, mergeGapSeconds: 0 },
      segments: [],
      complete: true,
      partialReason: null,
    };
    view = applyUpdate(view, { jobId: 'job', type: 'completed', snapshot }, 3000);
    expect(view.status).toBe('completed');
    expect(view.windows.map((w) => w.index)).toEqual([0, 1, 2]);
    expect(view.windowsDone).toBe(3);
  });

  it('ignores updates of another job', () => {
    const view = run([[started, 0]]);
    expect(applyUpdate(view, { ...windowUpdate(0, 1, 3), jobId: 'other' }, 1)).toBe(view);
  });

  it('replaces a window it already holds instead of doubling it', () => {
    const view = run([[started, 0], [windowUpdate(0, 1, 3), 1], [windowUpdate(1, 2, 3), 2], [windowUpdate(0, 2, 3), 3]]);
    expect(view.windows.map((w) => w.index)).toEqual([0, 1]);
  });

  it.each<[AnalysisUpdate, Partial<AnalysisView>]>([
    [{ jobId: 'job', type: 'failed', error: { kind: 'model', reason: 'bad', message: 'broken' } }, { status: 'failed', error: { kind: 'model', reason: 'bad', message: 'broken' } }],
    [{ jobId: 'job', type: 'cancelled' }, { status: 'cancelled' }],
    [{ jobId: 'job', type: 'event', event: { type: 'decoded', windowsTotal: 7, partialReason: 'the file ends early' } }, { windowsTotal: 7, partialReason: 'the file ends early' }],
    [{ jobId: 'job', type: 'event', event: { type: 'finished', windows: 7, computedNow: 7, partialReason: null } }, { partialReason: null }],
  ])('%# applies %j', (update, expected) => {
    expect(applyUpdate(run([[started, 0]]), update, 1)).toMatchObject(expected);
  });
});

describe('resuming', () => {
  const plan = (windowsStored: number, changed: Partial<SamplingParams> = {}): AnalysisUpdate => ({
    jobId: 'job',
    type: 'event',
    event: { type: 'plan', sampling: { ...sampling, ...changed }, windowsTotal: 10, windowsStored, storePath: '/s' },
  });
  const cancelled: AnalysisView = { ...run([[started, 0], [windowUpdate(0, 1, 10), 1], [windowUpdate(1, 2, 10), 2], [windowUpdate(2, 3, 10), 3]]), sampling, status: 'cancelled' };

  it('keeps the windows on screen when resuming, and drops them when recomputing', () => {
    expect(startingView(cancelled, true).windows).toHaveLength(3);
    expect(startingView(cancelled, true).status).toBe('starting');
    expect(startingView(cancelled, false).windows).toEqual([]);
  });

  it.each<[string, AnalysisUpdate, number[], number]>([
    ['the store holds all of them', plan(3), [0, 1, 2], 3],
    ['the store holds fewer (its tail was torn)', plan(2), [0, 1], 2],
    ['a fresh store', plan(0), [], 0],
    ['another sampling', plan(3, { frameStride: 8 }), [], 3],
  ])('after the plan, when %s', (_case, update, indices, done) => {
    const view = applyUpdate({ ...startingView(cancelled, true), jobId: 'job' }, update, 10);
    expect(view.windows.map((w) => w.index)).toEqual(indices);
    expect(view.windowsDone).toBe(done);
  });
});

describe('progressFigures', () => {
  it('has no speed before the first window', () => {
    expect(progressFigures(run([[started, 0]]), 5000)).toEqual({ percent: null, etaSeconds: null, realTimeFactor: null });
  });

  it('measures windows per second and video seconds per wall second from the first computed window', () => {
    // First window took 1 s (arrived at t = 1 s, so the run started at 0); then one window per second.
    const view = run([[started, 0], [windowUpdate(0, 1, 10), 1000], [windowUpdate(1, 2, 10), 2000]]);
    const figures = progressFigures(view, 2000);
    expect(figures.percent).toBe(20);
    // 2 windows in 2 s → 8 left take 8 s.
    expect(figures.etaSeconds).toBeCloseTo(8, 9);
    // Frontier moved from 0 to 1.5 s of video in 2 s of wall time.
    expect(figures.realTimeFactor).toBeCloseTo(0.75, 9);
  });

  it('does not count windows the store already held', () => {
    const resumed = run([
      [started, 0],
      [{ jobId: 'job', type: 'event', event: { type: 'plan', sampling, windowsTotal: 10, windowsStored: 5, storePath: '/s' } }, 0],
      [windowUpdate(5, 6, 10), 1000],
    ]);
    const figures = progressFigures(resumed, 1000);
    expect(figures.percent).toBe(60);
    expect(figures.etaSeconds).toBeCloseTo(4, 9); // one window per second, four left
  });

  it('has no ETA while the total is unknown', () => {
    const view = run([[started, 0], [windowUpdate(0, 1, null), 1000]]);
    expect(progressFigures(view, 1000)).toMatchObject({ percent: null, etaSeconds: null });
  });
});

describe('snapshots and keys', () => {
  it('shows a stored analysis as complete', () => {
    const view = snapshotView({
      analysisId: 'an',
      videoId: 'v',
      model,
      sampling,
      backend: 'cpu',
      windows: [window(1), window(0)],
      segmentation: { scores: 'sum-logits', smoothingSeconds: 1, enterThreshold: 0.6, exitThreshold: 0.4, minDurationSeconds: 1, mergeGapSeconds: 1 },
      segments: [],
      complete: false,
      partialReason: 'stopped at 3 s',
    });
    expect(view).toMatchObject({ status: 'completed', windowsDone: 2, windowsTotal: 2, partialReason: 'stopped at 3 s' });
    expect(analysedUntil(view.windows)).toBe(1.5);
  });

  it('keys edits by model and every sampling parameter', () => {
    const base = analysisKey('tiny', sampling);
    expect(analysisKey('tiny', { ...sampling })).toBe(base);
    for (const change of [{ frameStride: 8 }, { windowFrames: 16 }, { windowStrideFrames: 2 }, { imageSize: 64 }, { samplingFps: 25 }]) {
      expect(analysisKey('tiny', { ...sampling, ...change })).not.toBe(base);
    }
    expect(analysisKey('other', sampling)).not.toBe(base);
  });
});
