import { describe, expect, it } from 'vitest';
import { meanScore, meanScores, timelineScores, topClasses, type TimedLogits } from '../../src/analysis/scores.js';
import { softmax } from '../../src/analysis/softmax.js';
import { LongviewError } from '../../src/shared/errors.js';

/** softmax written out the textbook way, for small logits only: the reference the code must match. */
function referenceSoftmax(logits: number[]): number[] {
  const exponentials = logits.map(Math.exp);
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  return exponentials.map((value) => value / total);
}

function window(startSeconds: number, endSeconds: number, logits: number[]): TimedLogits {
  return { startSeconds, endSeconds, logits };
}

function rows(scores: Float32Array, classes: number): number[][] {
  return Array.from({ length: scores.length / classes }, (_, row) => Array.from(scores.subarray(row * classes, (row + 1) * classes)));
}

function expectRowsClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, index) => row.forEach((value, column) => expect(value).toBeCloseTo(expected[index]![column]!, 6)));
}

describe('softmax', () => {
  it.each([
    [[0, 0, 0, 0], [0.25, 0.25, 0.25, 0.25]],
    [[1, 2, 3], referenceSoftmax([1, 2, 3])],
    [[-5, 0.5], referenceSoftmax([-5, 0.5])],
    // exp(1000) overflows to Infinity; subtracting the largest logit keeps it finite.
    [[1000, 1000 - Math.log(3)], [0.75, 0.25]],
    [[-1000, -1000], [0.5, 0.5]],
  ])('softmax(%j) = %j', (logits, expected) => {
    const result = Array.from(softmax(logits));
    result.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 12));
    expect(result.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
  });
});

describe('timelineScores', () => {
  it('gives an empty timeline for no windows', () => {
    const timeline = timelineScores([], 'mean-softmax');
    expect(timeline.classes).toBe(0);
    expect(timeline.starts.length).toBe(0);
    expect(timeline.scores.length).toBe(0);
  });

  it.each(['mean-softmax', 'sum-logits'] as const)('one window is one interval holding its softmax (%s)', (mode) => {
    const timeline = timelineScores([window(1.5, 14.3, [2, 0, -1])], mode);
    expect(Array.from(timeline.starts)).toEqual([1.5]);
    expect(Array.from(timeline.ends)).toEqual([14.3]);
    expectRowsClose(rows(timeline.scores, 3), [referenceSoftmax([2, 0, -1])]);
  });

  // Windows [0, 4) and [2, 6): the middle interval is covered by both, the outer ones by one.
  const overlapping = [window(0, 4, [3, 0]), window(2, 6, [0, 1])];
  const meanOfSoftmax = referenceSoftmax([3, 0]).map((value, index) => (value + referenceSoftmax([0, 1])[index]!) / 2);
  it.each([
    ['mean-softmax', meanOfSoftmax],
    ['sum-logits', referenceSoftmax([1.5, 0.5])],
  ] as const)('overlapping windows cut time at every boundary (%s)', (mode, middle) => {
    const timeline = timelineScores(overlapping, mode);
    expect(Array.from(timeline.starts)).toEqual([0, 2, 4]);
    expect(Array.from(timeline.ends)).toEqual([2, 4, 6]);
    expectRowsClose(rows(timeline.scores, 2), [referenceSoftmax([3, 0]), middle, referenceSoftmax([0, 1])]);
  });

  it('pools differently in the two modes only where windows overlap', () => {
    const meanSoftmax = rows(timelineScores(overlapping, 'mean-softmax').scores, 2);
    const sumLogits = rows(timelineScores(overlapping, 'sum-logits').scores, 2);
    expectRowsClose([meanSoftmax[0]!, meanSoftmax[2]!], [sumLogits[0]!, sumLogits[2]!]);
    expect(Math.abs(meanSoftmax[1]![0]! - sumLogits[1]![0]!)).toBeGreaterThan(0.05);
  });

  it('lets one very confident window dominate under sum-logits but not mean-softmax', () => {
    // Two windows say class 1 mildly, one says class 0 with a huge logit, all over the same span.
    const windows = [window(0, 4, [0, 2]), window(0, 4, [0, 2]), window(0, 4, [20, 0])];
    expect(timelineScores(windows, 'sum-logits').scores[0]).toBeGreaterThan(0.5);
    expect(timelineScores(windows, 'mean-softmax').scores[0]).toBeLessThan(0.5);
  });

  it('leaves time no window covers out of the timeline', () => {
    const timeline = timelineScores([window(0, 2, [0, 0]), window(3, 5, [1, 0])], 'mean-softmax');
    expect(Array.from(timeline.starts)).toEqual([0, 3]);
    expect(Array.from(timeline.ends)).toEqual([2, 5]);
  });

  it('does not depend on the order of the windows', () => {
    const windows = [window(0, 4, [1, 0, 0]), window(2, 6, [0, 2, 0]), window(4, 8, [0, 0, 3]), window(5, 7, [1, 1, 1])];
    const sorted = timelineScores(windows, 'mean-softmax');
    const shuffled = timelineScores([windows[2]!, windows[0]!, windows[3]!, windows[1]!], 'mean-softmax');
    expect(Array.from(shuffled.starts)).toEqual(Array.from(sorted.starts));
    expect(Array.from(shuffled.scores)).toEqual(Array.from(sorted.scores));
  });

  it('treats boundaries a rounding error apart as one', () => {
    const timeline = timelineScores([window(0, 6.3999999999, [1, 0]), window(6.4, 12.8, [0, 1])], 'mean-softmax');
    expect(timeline.starts.length).toBe(2);
    expect(timeline.ends[0]).toBe(timeline.starts[1]);
  });

  it('ignores a window that covers no time', () => {
    const timeline = timelineScores([window(0, 4, [1, 0]), window(2, 2, [0, 9])], 'mean-softmax');
    expect(Array.from(timeline.starts)).toEqual([0, 2]);
    expectRowsClose(rows(timeline.scores, 2), [referenceSoftmax([1, 0]), referenceSoftmax([1, 0])]);
  });

  it.each([
    ['class counts differ', [window(0, 1, [0, 0]), window(1, 2, [0, 0, 0])], 'internal', 'class-count-mismatch'],
    ['a window ends before it starts', [window(2, 1, [0, 0])], 'internal', 'bad-window-time'],
    ['a time is NaN', [window(Number.NaN, 1, [0, 0])], 'internal', 'bad-window-time'],
    ['a logit is NaN', [window(0, 1, [0, Number.NaN])], 'model', 'non-finite-logits'],
  ])('refuses windows where %s', (_, windows, kind, reason) => {
    const attempt = () => timelineScores(windows, 'mean-softmax');
    expect(attempt).toThrow(LongviewError);
    expect(attempt).toThrow(expect.objectContaining({ kind, reason }));
  });

  it('stays linear for a 3-hour video: 1,700 windows × 400 classes', () => {
    const classes = 400;
    const windows = Array.from({ length: 1700 }, (_, index) => window(index * 6.4, index * 6.4 + 12.8, Array.from({ length: classes }, (_, column) => (column === index % classes ? 10 : 0))));
    const timeline = timelineScores(windows, 'mean-softmax');
    expect(timeline.starts.length).toBe(1701);
    expect(timeline.scores.length).toBe(1701 * classes);
    // Interval 100 ([640, 646.4)) is covered by windows 99 and 100, each sure of its own class.
    const row = timeline.scores.subarray(100 * classes, 101 * classes);
    expect(row[99]).toBeCloseTo(row[100]!, 6);
    expect(row[99]! + row[100]!).toBeGreaterThan(0.5);
  });
});

describe('topClasses', () => {
  const labels = ['a', 'b', 'c', 'd'];
  it.each([
    [[0.1, 0.4, 0.3, 0.2], 2, ['b', 'c']],
    [[0.25, 0.25, 0.25, 0.25], 3, ['a', 'b', 'c']],
    [[0.1, 0.3, 0.3, 0.3], 2, ['b', 'c']],
    [[0.1, 0.2], 5, ['b', 'a']],
    [[0.1, 0.2, 0.3, 0.4], 0, []],
    [[Number.NaN, 0.2, 0.1, 0], 2, ['b', 'c']],
  ])('top of %j, %i → %j (ties: lower index first)', (row, count, expected) => {
    expect(topClasses(row, labels, count).map((entry) => entry.label)).toEqual(expected);
  });

  it('reports index and score, and names unnamed classes', () => {
    expect(topClasses([0.2, 0.8], ['only one name'], 2)).toEqual([
      { label: 'class 1', index: 1, score: 0.8 },
      { label: 'only one name', index: 0, score: 0.2 },
    ]);
  });
});

describe('mean scores over intervals', () => {
  // Intervals of 1 s and 3 s: a duration-weighted mean gives the second three times the weight.
  const timeline = {
    classes: 2,
    starts: Float64Array.of(0, 1),
    ends: Float64Array.of(1, 4),
    scores: Float32Array.of(1, 0, 0, 1),
  };
  it('weights each interval by its duration', () => {
    expect(Array.from(meanScores(timeline, 0, 1))).toEqual([0.25, 0.75]);
    expect(meanScore(timeline, 0, 1, 1)).toBe(0.75);
    expect(meanScore(timeline, 1, 1, 0)).toBe(0);
  });
});
