/** Hand-written score timelines for the segmentation tests: one [start, end, scores] row per interval. */
import type { ScoreTimeline } from '../../src/analysis/scores.js';

export type IntervalRow = readonly [startSeconds: number, endSeconds: number, scores: readonly number[]];

export function timelineFrom(rows: readonly IntervalRow[]): ScoreTimeline {
  const classes = rows[0]?.[2].length ?? 0;
  return {
    classes,
    starts: Float64Array.from(rows, (row) => row[0]),
    ends: Float64Array.from(rows, (row) => row[1]),
    scores: Float32Array.from(rows.flatMap((row) => [...row[2]])),
  };
}

/** One-second intervals from 0, back to back, with the given score rows. */
export function secondsFrom(scoreRows: readonly (readonly number[])[]): ScoreTimeline {
  return timelineFrom(scoreRows.map((scores, second) => [second, second + 1, scores] as const));
}
