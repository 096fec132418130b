/**
 * Window scores → one score vector per stretch of time. Windows overlap, so time is cut at every
 * window boundary into elementary intervals; each interval's scores combine the windows that cover
 * it. Everything after this (smoothing, hysteresis, segments) works on that timeline, so it is
 * built once, in one sweep, in memory linear in windows × classes (a 3-hour video at a 6.4 s
 * stride is ~1,700 windows × 400 classes → at most ~3,400 intervals, ~5 MB of float32 scores).
 */
import type { ScoredLabel, SegmentationParams } from '../shared/analysis.js';
import { LongviewError } from '../shared/errors.js';
import { softmax, softmaxInto } from './softmax.js';

/** What the timeline needs of a window (a WindowResult has all of it). */
export interface TimedLogits {
  /** The window covers [startSeconds, endSeconds). */
  startSeconds: number;
  endSeconds: number;
  /** One raw score per class, before softmax. */
  logits: readonly number[];
}

/**
 * Piecewise-constant scores over time. Interval i covers [starts[i], ends[i]); intervals are sorted
 * and never overlap, and time covered by no window has no interval (so ends[i] < starts[i + 1] is a
 * gap in the data, not a zero score).
 */
export interface ScoreTimeline {
  classes: number;
  starts: Float64Array;
  ends: Float64Array;
  /** intervals × classes probabilities 0..1, row-major: row i is interval i. */
  scores: Float32Array;
}

/**
 * Window boundaries closer than this are one boundary, seconds. Decoder timestamps put one
 * window's end and the next one's start a rounding error apart (6.3999999 vs 6.4); without
 * snapping, that would be a sub-microsecond interval of its own.
 */
const BOUNDARY_TOLERANCE_SECONDS = 1e-6;

/**
 * Builds the timeline. 'mean-softmax': each interval gets the mean of its covering windows'
 * softmax. 'sum-logits': the softmax of the mean of their logits (the official test protocol's
 * way of pooling clips, which lets one very confident window dominate).
 */
export function timelineScores(windows: readonly TimedLogits[], mode: SegmentationParams['scores']): ScoreTimeline {
  const classes = checkWindows(windows);
  const { boundaries, boundaryOfEndpoint, endpointOrder } = snapBoundaries(windows);
  const intervalLimit = Math.max(boundaries.length - 1, 0);
  const starts = new Float64Array(intervalLimit);
  const ends = new Float64Array(intervalLimit);
  const scores = new Float32Array(intervalLimit * classes);

  // Running sum over the windows covering the current interval: each window is added at its start
  // boundary and subtracted at its end boundary, so the sweep is linear in windows. A window's
  // contribution (a softmax of `classes` exponentials) is computed once, at its start, and kept
  // until its end, so exactly what was added is subtracted; only overlapping windows are held.
  const sum = new Float64Array(classes);
  const contributions = new Map<number, Float64Array>();
  const row = new Float64Array(classes);
  let active = 0;
  let cursor = 0;
  let intervals = 0;
  for (let boundary = 0; boundary < boundaries.length; boundary += 1) {
    while (cursor < endpointOrder.length && boundaryOfEndpoint[endpointOrder[cursor]!] === boundary) {
      const endpoint = endpointOrder[cursor]!;
      cursor += 1;
      const window = endpoint >> 1;
      const covers = boundaryOfEndpoint[2 * window]! < boundaryOfEndpoint[2 * window + 1]!;
      if (!covers) continue;
      const sign = (endpoint & 1) === 0 ? 1 : -1;
      const contribution = sign === 1 ? windowContribution(windows[window]!.logits, mode) : contributions.get(window)!;
      if (sign === 1) contributions.set(window, contribution);
      else contributions.delete(window);
      for (let index = 0; index < classes; index += 1) sum[index] = sum[index]! + sign * contribution[index]!;
      active += sign;
      // Exact zeros between covered stretches, so rounding never leaks across a gap.
      if (active === 0) sum.fill(0);
    }
    if (active === 0 || boundary + 1 >= boundaries.length) continue;
    for (let index = 0; index < classes; index += 1) row[index] = sum[index]! / active;
    if (mode === 'sum-logits') softmaxInto(row, row);
    starts[intervals] = boundaries[boundary]!;
    ends[intervals] = boundaries[boundary + 1]!;
    scores.set(row, intervals * classes);
    intervals += 1;
  }
  return {
    classes,
    starts: starts.slice(0, intervals),
    ends: ends.slice(0, intervals),
    scores: scores.slice(0, intervals * classes),
  };
}

/** The `count` best classes of one score row, best first; equal scores: the lower class index first. */
export function topClasses(row: ArrayLike<number>, labels: readonly string[], count: number): ScoredLabel[] {
  const best: { index: number; score: number }[] = [];
  for (let index = 0; index < row.length; index += 1) {
    const score = row[index]!;
    if (Number.isNaN(score)) continue;
    // Classes arrive in index order, so a later class must beat, not tie, to rank above.
    const worst = best[best.length - 1];
    if (best.length >= count && (worst === undefined || score <= worst.score)) continue;
    let position = best.length;
    while (position > 0 && best[position - 1]!.score < score) position -= 1;
    best.splice(position, 0, { index, score });
    if (best.length > count) best.pop();
  }
  return best.map(({ index, score }) => ({ label: labelName(labels, index), index, score }));
}

/** The class's name, or "class 17" when the model came without a name for it. */
export function labelName(labels: readonly string[], index: number): string {
  return labels[index] ?? `class ${index}`;
}

/** Duration-weighted mean score row over intervals first..last (inclusive); length `classes`. */
export function meanScores(timeline: ScoreTimeline, first: number, last: number): Float64Array {
  const mean = new Float64Array(timeline.classes);
  let duration = 0;
  for (let interval = first; interval <= last; interval += 1) {
    const weight = timeline.ends[interval]! - timeline.starts[interval]!;
    const offset = interval * timeline.classes;
    for (let index = 0; index < timeline.classes; index += 1) mean[index] = mean[index]! + weight * timeline.scores[offset + index]!;
    duration += weight;
  }
  if (duration > 0) for (let index = 0; index < timeline.classes; index += 1) mean[index] = mean[index]! / duration;
  return mean;
}

/** Duration-weighted mean of one class's score over intervals first..last (inclusive). */
export function meanScore(timeline: ScoreTimeline, first: number, last: number, classIndex: number): number {
  let weighted = 0;
  let duration = 0;
  for (let interval = first; interval <= last; interval += 1) {
    const weight = timeline.ends[interval]! - timeline.starts[interval]!;
    weighted += weight * timeline.scores[interval * timeline.classes + classIndex]!;
    duration += weight;
  }
  return duration > 0 ? weighted / duration : 0;
}

/** Class count shared by all windows; refuses windows the engine should never have produced. */
function checkWindows(windows: readonly TimedLogits[]): number {
  const classes = windows[0]?.logits.length ?? 0;
  windows.forEach((window, position) => {
    if (window.logits.length !== classes) {
      throw new LongviewError('internal', 'class-count-mismatch', `Window ${position} has ${window.logits.length} scores but window 0 has ${classes}; every window must come from the same model.`);
    }
    if (!Number.isFinite(window.startSeconds) || !Number.isFinite(window.endSeconds) || window.endSeconds < window.startSeconds) {
      throw new LongviewError('internal', 'bad-window-time', `Window ${position} covers ${window.startSeconds}–${window.endSeconds} s, which is not a time span; the window assembler produced an impossible window.`);
    }
    if (!window.logits.every(Number.isFinite)) {
      throw new LongviewError('model', 'non-finite-logits', `The model produced a non-finite score (NaN or infinity) for window ${position}; the checkpoint may be damaged, try another one or another backend.`);
    }
  });
  return classes;
}

/**
 * Sorts all window endpoints (endpoint 2w is window w's start, 2w + 1 its end) and gives each the
 * index of its boundary, endpoints within BOUNDARY_TOLERANCE_SECONDS of the previous boundary
 * sharing it. Returning the sorted order too lets the sweep visit endpoints boundary by boundary.
 */
function snapBoundaries(windows: readonly TimedLogits[]): { boundaries: Float64Array; boundaryOfEndpoint: Int32Array; endpointOrder: Uint32Array } {
  const times = new Float64Array(windows.length * 2);
  windows.forEach((window, position) => {
    times[2 * position] = window.startSeconds;
    times[2 * position + 1] = window.endSeconds;
  });
  const endpointOrder = new Uint32Array(times.length).map((_, endpoint) => endpoint);
  endpointOrder.sort((left, right) => times[left]! - times[right]! || left - right);
  const boundaryOfEndpoint = new Int32Array(times.length);
  const boundaries: number[] = [];
  for (const endpoint of endpointOrder) {
    const time = times[endpoint]!;
    const previous = boundaries[boundaries.length - 1];
    if (previous === undefined || time - previous > BOUNDARY_TOLERANCE_SECONDS) boundaries.push(time);
    boundaryOfEndpoint[endpoint] = boundaries.length - 1;
  }
  return { boundaries: Float64Array.from(boundaries), boundaryOfEndpoint, endpointOrder };
}

/** What one window adds to the running sum: its probabilities, or its raw logits for 'sum-logits'. */
function windowContribution(logits: readonly number[], mode: SegmentationParams['scores']): Float64Array {
  return mode === 'mean-softmax' ? softmax(logits) : Float64Array.from(logits);
}
