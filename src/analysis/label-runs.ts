/**
 * From per-interval labels to runs (the segments-to-be), and the two clean-ups that make runs
 * readable: absorbing runs too short to mean anything, and merging same-label runs split by a
 * short gap. Each step returns new runs and leaves its input alone.
 */
import { UNLABELED } from './hysteresis.js';
import { meanScore, type ScoreTimeline } from './scores.js';

/** A stretch of one class: timeline intervals first..last (inclusive) and the seconds they span. */
export interface LabelRun {
  label: number;
  first: number;
  last: number;
  startSeconds: number;
  endSeconds: number;
}

/**
 * Slack for comparing durations and gaps, seconds: sums of float times land a hair off (a 2 s
 * segment measuring 1.9999999999 s must still count as 2 s).
 */
const TIME_TOLERANCE_SECONDS = 1e-9;

/** Consecutive intervals with the same label and no gap between them form one run; unlabeled ones none. */
export function labelRuns(timeline: ScoreTimeline, labels: Int32Array): LabelRun[] {
  const runs: LabelRun[] = [];
  for (let interval = 0; interval < labels.length; interval += 1) {
    const label = labels[interval]!;
    if (label === UNLABELED) continue;
    const previous = runs[runs.length - 1];
    const continues = previous !== undefined && previous.label === label && previous.last === interval - 1 && previous.endSeconds === timeline.starts[interval];
    if (continues) {
      previous.last = interval;
      previous.endSeconds = timeline.ends[interval]!;
    } else {
      runs.push({ label, first: interval, last: interval, startSeconds: timeline.starts[interval]!, endSeconds: timeline.ends[interval]! });
    }
  }
  return runs;
}

/**
 * Removes runs shorter than `minimumSeconds`, shortest first (earliest on ties), so a flicker is
 * judged before the runs around it grow. A short run touching a neighbour is absorbed by the
 * neighbour whose class scores higher over the short run's span (lower class index on ties); a
 * short run touching none is dropped, leaving a gap.
 */
export function absorbShortRuns(runs: readonly LabelRun[], timeline: ScoreTimeline, minimumSeconds: number): LabelRun[] {
  const kept = runs.map((run) => ({ ...run }));
  for (;;) {
    const shortest = shortestRunBelow(kept, minimumSeconds);
    if (shortest < 0) return kept;
    const run = kept[shortest]!;
    const previous = kept[shortest - 1];
    const next = kept[shortest + 1];
    const before = previous !== undefined && previous.endSeconds === run.startSeconds ? previous : undefined;
    const after = next !== undefined && next.startSeconds === run.endSeconds ? next : undefined;
    const absorber = strongerNeighbour(timeline, run, before, after);
    if (absorber !== undefined) extendOver(absorber, run);
    kept.splice(shortest, 1);
  }
}

/** Joins consecutive runs of the same label whose gap is at most `gapSeconds` (touching runs included). */
export function mergeNearbyRuns(runs: readonly LabelRun[], gapSeconds: number): LabelRun[] {
  const merged: LabelRun[] = [];
  for (const run of runs) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && previous.label === run.label && run.startSeconds - previous.endSeconds <= gapSeconds + TIME_TOLERANCE_SECONDS) {
      previous.last = run.last;
      previous.endSeconds = run.endSeconds;
    } else {
      merged.push({ ...run });
    }
  }
  return merged;
}

/** Grows `run` to also cover `neighbour`, which touches it on one side. */
function extendOver(run: LabelRun, neighbour: LabelRun): void {
  run.first = Math.min(run.first, neighbour.first);
  run.last = Math.max(run.last, neighbour.last);
  run.startSeconds = Math.min(run.startSeconds, neighbour.startSeconds);
  run.endSeconds = Math.max(run.endSeconds, neighbour.endSeconds);
}

/** Position of the shortest run shorter than `minimumSeconds` (the earliest on ties), or −1. */
function shortestRunBelow(runs: readonly LabelRun[], minimumSeconds: number): number {
  let shortest = -1;
  let shortestSeconds = minimumSeconds - TIME_TOLERANCE_SECONDS;
  runs.forEach((run, position) => {
    const seconds = run.endSeconds - run.startSeconds;
    if (seconds < shortestSeconds) {
      shortest = position;
      shortestSeconds = seconds;
    }
  });
  return shortest;
}

/** The neighbour whose class has the higher mean score over `run`'s intervals; undefined when there is none. */
function strongerNeighbour(timeline: ScoreTimeline, run: LabelRun, before: LabelRun | undefined, after: LabelRun | undefined): LabelRun | undefined {
  if (before === undefined || after === undefined) return before ?? after;
  const beforeScore = meanScore(timeline, run.first, run.last, before.label);
  const afterScore = meanScore(timeline, run.first, run.last, after.label);
  if (beforeScore !== afterScore) return beforeScore > afterScore ? before : after;
  return after.label < before.label ? after : before;
}
