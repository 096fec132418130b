import { describe, expect, it } from 'vitest';
import { smoothTimeline } from '../../src/analysis/smoothing.js';
import { secondsFrom, timelineFrom, type IntervalRow } from './segment-fixtures.js';

/** Class 0's smoothed score per interval (class 1 is its complement in every fixture). */
function firstClass(rows: readonly IntervalRow[], widthSeconds: number): number[] {
  const smoothed = smoothTimeline(timelineFrom(rows), widthSeconds);
  return Array.from({ length: rows.length }, (_, interval) => smoothed.scores[interval * 2]!);
}

describe('smoothTimeline', () => {
  it.each([0, -1, Number.NaN])('width %d leaves the timeline as it is', (width) => {
    const timeline = secondsFrom([[1, 0], [0, 1]]);
    expect(smoothTimeline(timeline, width)).toBe(timeline);
  });

  it.each([
    // Equal 1 s intervals, a 3 s box: the middle sees all three, the edges only what exists.
    ['equal intervals', [[0, 1, [0, 1]], [1, 2, [1, 0]], [2, 3, [0, 1]]], 3, [0.5, 1 / 3, 0.5]],
    // 1 s then 3 s: interval 0's box [-0.5, 1.5] holds 1 s of score 1 and 0.5 s of score 0.
    ['unequal intervals', [[0, 1, [1, 0]], [1, 4, [0, 1]]], 2, [2 / 3, 0]],
    // The 2 s gap is no data, not zeros: a wide box averages the two intervals 50/50.
    ['a gap in the data', [[0, 1, [1, 0]], [3, 4, [0, 1]]], 10, [0.5, 0.5]],
    ['a box narrower than the intervals', [[0, 4, [1, 0]], [4, 8, [0, 1]]], 2, [1, 0]],
  ] as const)('averages over seconds: %s', (_, rows, width, expected) => {
    firstClass(rows, width).forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6));
  });

  it('keeps a constant timeline constant and keeps rows summing to 1', () => {
    const rows: IntervalRow[] = [[0, 0.5, [0.3, 0.7]], [0.5, 2, [0.3, 0.7]], [2, 2.1, [0.3, 0.7]], [5, 9, [0.3, 0.7]]];
    const smoothed = smoothTimeline(timelineFrom(rows), 4);
    for (let interval = 0; interval < rows.length; interval += 1) {
      expect(smoothed.scores[interval * 2]).toBeCloseTo(0.3, 6);
      expect(smoothed.scores[interval * 2]! + smoothed.scores[interval * 2 + 1]!).toBeCloseTo(1, 6);
    }
  });

  it('keeps the intervals and does not touch its input', () => {
    const timeline = secondsFrom([[1, 0], [0, 1], [1, 0]]);
    const before = Array.from(timeline.scores);
    const smoothed = smoothTimeline(timeline, 2);
    expect(smoothed.starts).toEqual(timeline.starts);
    expect(smoothed.ends).toEqual(timeline.ends);
    expect(Array.from(timeline.scores)).toEqual(before);
  });
});
