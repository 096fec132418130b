/**
 * What the UI shows of an analysis, and how each `AnalysisUpdate` changes it. Pure reducer: the
 * Svelte state holds one `AnalysisView` and replaces it with `applyUpdate(view, update, now)`.
 *
 * Windows are appended as they arrive (the timeline fills in live); a window already held (a host
 * that replays stored windows on resume) is replaced, not doubled.
 */
import type { SamplingParams, Segment, WindowResult } from '../../../src/shared/analysis.js';
import type { AnalysisSnapshot, AnalysisUpdate, ApiError } from '../../../src/shared/api.js';

export type AnalysisStatus = 'idle' | 'starting' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface AnalysisView {
  status: AnalysisStatus;
  jobId: string | null;
  analysisId: string | null;
  model: { id: string; license: string; labels: string[] } | null;
  sampling: SamplingParams | null;
  /** The backend in use ('' until the model is loaded). */
  backend: string;
  /** Sorted by index. */
  windows: WindowResult[];
  segments: Segment[];
  windowsDone: number;
  windowsTotal: number | null;
  /** Windows the store already held when this run began (they do not count towards speed). */
  windowsStored: number;
  /** Progress inside the window being computed. */
  layer: { window: number; done: number; total: number } | null;
  partialReason: string | null;
  error: ApiError | null;
  /** Wall clock (ms) when the first window of this run was computed, and the analysed frontier then (s). */
  runStartedAt: number | null;
  frontierAtStart: number;
  /** Wall clock (ms) of the latest window. */
  lastWindowAt: number | null;
}

export const EMPTY_VIEW: AnalysisView = {
  status: 'idle',
  jobId: null,
  analysisId: null,
  model: null,
  sampling: null,
  backend: '',
  windows: [],
  segments: [],
  windowsDone: 0,
  windowsTotal: null,
  windowsStored: 0,
  layer: null,
  partialReason: null,
  error: null,
  runStartedAt: null,
  frontierAtStart: 0,
  lastWindowAt: null,
};

/** A finished analysis from the store (or a job's completion): everything at once. */
export function snapshotView(snapshot: AnalysisSnapshot): AnalysisView {
  const windows = [...snapshot.windows].sort((a, b) => a.index - b.index);
  return {
    ...EMPTY_VIEW,
    status: 'completed',
    analysisId: snapshot.analysisId,
    model: snapshot.model,
    sampling: snapshot.sampling,
    backend: snapshot.backend,
    windows,
    segments: snapshot.segments,
    windowsDone: windows.length,
    windowsTotal: windows.length,
    partialReason: snapshot.partialReason,
  };
}

function samplingEquals(a: SamplingParams, b: SamplingParams): boolean {
  return a.samplingFps === b.samplingFps && a.frameStride === b.frameStride && a.windowFrames === b.windowFrames && a.windowStrideFrames === b.windowStrideFrames && a.imageSize === b.imageSize;
}

/** The view of a job about to start. Resuming keeps the windows on screen until the plan says which the store holds. */
export function startingView(previous: AnalysisView, resume: boolean): AnalysisView {
  if (!resume) return { ...EMPTY_VIEW, status: 'starting' };
  return { ...EMPTY_VIEW, status: 'starting', windows: previous.windows, sampling: previous.sampling, model: previous.model, segments: previous.segments, windowsDone: previous.windows.length };
}

/** The end of the analysed part of the video, seconds: where the timeline's hatching starts. */
export function analysedUntil(windows: readonly WindowResult[]): number {
  let until = 0;
  for (const window of windows) until = Math.max(until, window.endSeconds);
  return until;
}

function insertWindow(windows: readonly WindowResult[], window: WindowResult): WindowResult[] {
  const last = windows[windows.length - 1];
  if (last === undefined || last.index < window.index) return [...windows, window];
  const kept = windows.filter((held) => held.index !== window.index);
  kept.push(window);
  return kept.sort((a, b) => a.index - b.index);
}

/** `now`: wall clock in ms, for speed and ETA. Updates of another job leave the view as it is. */
export function applyUpdate(view: AnalysisView, update: AnalysisUpdate, now: number): AnalysisView {
  if (view.jobId !== null && update.jobId !== view.jobId) return view;
  switch (update.type) {
    case 'started':
      return { ...view, jobId: update.jobId, status: 'running', analysisId: update.analysisId, model: update.model, error: null };
    case 'segments':
      return { ...view, segments: update.segments };
    case 'completed': {
      const finished = snapshotView(update.snapshot);
      return { ...finished, jobId: update.jobId, runStartedAt: view.runStartedAt, frontierAtStart: view.frontierAtStart, lastWindowAt: view.lastWindowAt, windowsStored: view.windowsStored };
    }
    case 'failed':
      return { ...view, status: 'failed', error: update.error, layer: null };
    case 'cancelled':
      return { ...view, status: 'cancelled', layer: null };
    case 'event':
      break;
  }
  const event = update.event;
  switch (event.type) {
    case 'probed':
    case 'model':
      return view;
    case 'plan': {
      // A resumed run starts from the store: windows held from before stay only if the store has
      // them (same sampling, index below what it holds); a fresh or different store starts empty.
      const sameSampling = view.sampling !== null && samplingEquals(view.sampling, event.sampling);
      const windows = sameSampling ? view.windows.filter((window) => window.index < event.windowsStored) : [];
      return { ...view, windows, sampling: event.sampling, windowsTotal: event.windowsTotal, windowsStored: event.windowsStored, windowsDone: event.windowsStored };
    }
    case 'loaded':
      return { ...view, backend: event.backend };
    case 'layer':
      return { ...view, layer: { window: event.window, done: event.done, total: event.total } };
    case 'window': {
      const windows = insertWindow(view.windows, event.window);
      // Speed is measured from the start of the first computed window, against the frontier before it.
      const runStartedAt = view.runStartedAt ?? now - event.computeSeconds * 1000;
      const frontierAtStart = view.runStartedAt === null ? analysedUntil(view.windows) : view.frontierAtStart;
      return {
        ...view,
        windows,
        windowsDone: event.windowsDone,
        windowsTotal: event.windowsTotal ?? view.windowsTotal,
        layer: null,
        runStartedAt,
        frontierAtStart,
        lastWindowAt: now,
      };
    }
    case 'decoded':
      return { ...view, windowsTotal: event.windowsTotal, partialReason: event.partialReason };
    case 'finished':
      return { ...view, partialReason: event.partialReason, layer: null };
  }
}

export interface ProgressFigures {
  /** 0..100, null while the total is unknown. */
  percent: number | null;
  /** Seconds left at the speed of this run, null before there is a speed. */
  etaSeconds: number | null;
  /** Video seconds analysed per wall second, null before there is a speed. */
  realTimeFactor: number | null;
}

/** Progress, ETA and speed of a running analysis at wall clock `now` (ms). */
export function progressFigures(view: AnalysisView, now: number): ProgressFigures {
  const percent = view.windowsTotal !== null && view.windowsTotal > 0 ? Math.min(100, (100 * view.windowsDone) / view.windowsTotal) : null;
  if (view.runStartedAt === null) return { percent, etaSeconds: null, realTimeFactor: null };
  const elapsed = (now - view.runStartedAt) / 1000;
  const computed = view.windowsDone - view.windowsStored;
  if (!(elapsed > 0) || computed <= 0) return { percent, etaSeconds: null, realTimeFactor: null };
  const videoSeconds = analysedUntil(view.windows) - view.frontierAtStart;
  const realTimeFactor = videoSeconds > 0 ? videoSeconds / elapsed : null;
  const remaining = view.windowsTotal === null ? null : Math.max(0, view.windowsTotal - view.windowsDone);
  const etaSeconds = remaining === null ? null : remaining / (computed / elapsed);
  return { percent, etaSeconds, realTimeFactor };
}

/**
 * Which analysis a set of edits belongs to: the model and every sampling parameter, so edits made
 * on another model's or another window size's segments are never mixed in.
 */
export function analysisKey(modelId: string, sampling: SamplingParams): string {
  return [modelId, sampling.samplingFps, sampling.frameStride, sampling.windowFrames, sampling.windowStrideFrames, sampling.imageSize].join('|');
}
