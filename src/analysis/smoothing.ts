/**
 * Moving-average smoothing of a score timeline over time. Intervals have unequal lengths (window
 * boundaries need not fall on a grid), so the average is over seconds, not over rows: each
 * interval's new score is the mean of the piecewise-constant scores over a box of `widthSeconds`
 * centred on the interval's middle. Time with no data (gaps) counts for nothing, neither as zero
 * scores nor as weight.
 */
import type { ScoreTimeline } from './scores.js';

/** The timeline with smoothed scores (same intervals); `widthSeconds` ≤ 0 returns it unchanged. */
export function smoothTimeline(timeline: ScoreTimeline, widthSeconds: number): ScoreTimeline {
  const intervals = timeline.starts.length;
  if (!(widthSeconds > 0) || intervals < 2) return timeline;
  const { classes, starts, ends } = timeline;
  const integrals = cumulativeIntegrals(timeline);
  const smoothed = new Float32Array(intervals * classes);
  const upper = new Float64Array(classes + 1);
  const lower = new Float64Array(classes + 1);
  for (let interval = 0; interval < intervals; interval += 1) {
    const centre = (starts[interval]! + ends[interval]!) / 2;
    integralUpTo(timeline, integrals, centre + widthSeconds / 2, upper);
    integralUpTo(timeline, integrals, centre - widthSeconds / 2, lower);
    // Never zero: the box always overlaps the interval it is centred on.
    const coveredSeconds = upper[classes]! - lower[classes]!;
    for (let index = 0; index < classes; index += 1) {
      smoothed[interval * classes + index] = (upper[index]! - lower[index]!) / coveredSeconds;
    }
  }
  return { classes, starts, ends, scores: smoothed };
}

/**
 * Row i (length classes + 1) holds ∫ score dt over intervals 0..i−1 per class, then their total
 * duration in the last column: (intervals + 1) × (classes + 1) float64, prefix sums so any
 * window of time is two lookups.
 */
function cumulativeIntegrals(timeline: ScoreTimeline): Float64Array {
  const { classes, starts, ends, scores } = timeline;
  const width = classes + 1;
  const integrals = new Float64Array((starts.length + 1) * width);
  for (let interval = 0; interval < starts.length; interval += 1) {
    const duration = ends[interval]! - starts[interval]!;
    const from = interval * width;
    const to = from + width;
    for (let index = 0; index < classes; index += 1) {
      integrals[to + index] = integrals[from + index]! + duration * scores[interval * classes + index]!;
    }
    integrals[to + classes] = integrals[from + classes]! + duration;
  }
  return integrals;
}

/** Writes ∫ score dt from the timeline's start up to `time` (per class, then covered seconds) into `into`. */
function integralUpTo(timeline: ScoreTimeline, integrals: Float64Array, time: number, into: Float64Array): void {
  const { classes, starts, ends, scores } = timeline;
  const width = classes + 1;
  const interval = lastIntervalStartingBy(starts, time);
  if (interval < 0) {
    into.fill(0);
    return;
  }
  // Intervals before `interval` end by its start, so they are whole; this one counts up to `time`.
  const partial = Math.min(time, ends[interval]!) - starts[interval]!;
  const base = interval * width;
  for (let index = 0; index < classes; index += 1) {
    into[index] = integrals[base + index]! + partial * scores[interval * classes + index]!;
  }
  into[classes] = integrals[base + classes]! + partial;
}

/** Index of the last interval with start ≤ time, or −1; binary search over the sorted starts. */
function lastIntervalStartingBy(starts: Float64Array, time: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (starts[middle]! <= time) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
