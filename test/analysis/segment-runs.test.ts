import { describe, expect, it } from 'vitest';
import { UNLABELED } from '../../src/analysis/hysteresis.js';
import { absorbShortRuns, labelRuns, mergeNearbyRuns, type LabelRun } from '../../src/analysis/label-runs.js';
import { timelineFrom, type IntervalRow } from './segment-fixtures.js';

const A = 0;
const B = 1;
const C = 2;
const none = UNLABELED;

/** Runs as [label, start, end] triples, which is what the tables below are written in. */
function spans(runs: readonly LabelRun[]): [number, number, number][] {
  return runs.map((run) => [run.label, run.startSeconds, run.endSeconds]);
}

/** A timeline of the given intervals, each labelled, turned into runs. */
function runsOf(rows: readonly IntervalRow[], labels: readonly number[]) {
  const timeline = timelineFrom(rows);
  return { timeline, runs: labelRuns(timeline, Int32Array.from(labels)) };
}

describe('labelRuns', () => {
  it.each([
    ['no labels', [], []],
    ['one run', [A, A, A], [[A, 0, 3]]],
    ['a label change', [A, A, B], [[A, 0, 2], [B, 2, 3]]],
    ['unlabeled intervals between', [A, none, A], [[A, 0, 1], [A, 2, 3]]],
    ['all unlabeled', [none, none, none], []],
  ])('%s', (_, labels, expected) => {
    const rows = labels.map((__, second) => [second, second + 1, [0, 0]] as const);
    expect(spans(runsOf(rows, labels).runs)).toEqual(expected);
  });

  it('splits a run at a gap in the data', () => {
    const { runs } = runsOf([[0, 1, [1]], [2, 3, [1]]], [A, A]);
    expect(spans(runs)).toEqual([[A, 0, 1], [A, 2, 3]]);
  });
});

describe('absorbShortRuns', () => {
  // Scores are [A, B, C]; only their values over the short run matter.
  it.each([
    [
      'a flicker inside one class is absorbed',
      [[0, 10, [0.6, 0.1, 0.1]], [10, 11, [0.3, 0.4, 0.1]], [11, 20, [0.6, 0.1, 0.1]]],
      [A, B, A],
      [[A, 0, 11], [A, 11, 20]],
    ],
    [
      'the neighbour scoring higher over the short span takes it',
      [[0, 10, [0.6, 0.1, 0.1]], [10, 11, [0.2, 0.4, 0.3]], [11, 20, [0.1, 0.1, 0.6]]],
      [A, B, C],
      [[A, 0, 10], [C, 10, 20]],
    ],
    [
      'equal neighbour scores: the lower class index takes it',
      [[0, 10, [0.1, 0.1, 0.6]], [10, 11, [0.3, 0.4, 0.3]], [11, 20, [0.6, 0.1, 0.1]]],
      [C, B, A],
      [[C, 0, 10], [A, 10, 20]],
    ],
    [
      'a short run with no touching neighbour is dropped',
      [[0, 10, [0.6, 0.1, 0.1]], [12, 13, [0.1, 0.6, 0.1]], [15, 20, [0.6, 0.1, 0.1]]],
      [A, B, A],
      [[A, 0, 10], [A, 15, 20]],
    ],
    [
      'a short run touching one neighbour goes to it',
      [[0, 10, [0.6, 0.1, 0.1]], [10, 11, [0.1, 0.6, 0.1]], [15, 20, [0.6, 0.1, 0.1]]],
      [A, B, A],
      [[A, 0, 11], [A, 15, 20]],
    ],
    [
      // C (0.5 s) goes first and joins B, which then reaches 2 s and survives; B first would vanish.
      'the shortest run goes first',
      [[0, 10, [0.6, 0.1, 0.1]], [10, 11.5, [0.1, 0.6, 0.1]], [11.5, 12, [0.1, 0.5, 0.6]], [12, 20, [0.6, 0.1, 0.1]]],
      [A, B, C, A],
      [[A, 0, 10], [B, 10, 12], [A, 12, 20]],
    ],
    [
      'a lone short run is dropped',
      [[0, 1, [0.6, 0.1, 0.1]]],
      [A],
      [],
    ],
  ] as const)('%s', (_, rows, labels, expected) => {
    const { timeline, runs } = runsOf(rows, labels);
    expect(spans(absorbShortRuns(runs, timeline, 2))).toEqual(expected);
  });

  it('keeps a run that is the minimum up to rounding', () => {
    const { timeline, runs } = runsOf([[0.1, 2.0999999999, [1]]], [A]);
    expect(spans(absorbShortRuns(runs, timeline, 2))).toEqual([[A, 0.1, 2.0999999999]]);
  });

  it('changes nothing with a minimum of 0, and never touches its input', () => {
    const { timeline, runs } = runsOf([[0, 1, [1, 0]], [1, 1.5, [0, 1]]], [A, B]);
    const before = structuredClone(runs);
    expect(absorbShortRuns(runs, timeline, 0)).toEqual(runs);
    absorbShortRuns(runs, timeline, 5);
    expect(runs).toEqual(before);
  });

  it('extends the absorbing run over the short run\'s intervals', () => {
    const { timeline, runs } = runsOf([[0, 10, [0.6, 0.1]], [10, 11, [0.1, 0.6]]], [A, B]);
    expect(absorbShortRuns(runs, timeline, 2)).toEqual([{ label: A, first: 0, last: 1, startSeconds: 0, endSeconds: 11 }]);
  });
});

describe('mergeNearbyRuns', () => {
  const run = (label: number, startSeconds: number, endSeconds: number, first: number, last: number): LabelRun => ({ label, startSeconds, endSeconds, first, last });
  it.each([
    ['touching runs of one label', [run(A, 0, 5, 0, 0), run(A, 5, 9, 1, 1)], 1, [[A, 0, 9]]],
    ['a gap within the limit', [run(A, 0, 5, 0, 0), run(A, 5.5, 9, 2, 2)], 1, [[A, 0, 9]]],
    ['a gap exactly at the limit', [run(A, 0, 5, 0, 0), run(A, 6, 9, 2, 2)], 1, [[A, 0, 9]]],
    ['a gap over the limit', [run(A, 0, 5, 0, 0), run(A, 6.5, 9, 2, 2)], 1, [[A, 0, 5], [A, 6.5, 9]]],
    ['different labels', [run(A, 0, 5, 0, 0), run(B, 5, 9, 1, 1)], 1, [[A, 0, 5], [B, 5, 9]]],
    ['a different label between', [run(A, 0, 5, 0, 0), run(B, 5, 5.5, 1, 1), run(A, 5.5, 9, 2, 2)], 1, [[A, 0, 5], [B, 5, 5.5], [A, 5.5, 9]]],
    ['a limit of 0 still joins touching runs', [run(A, 0, 5, 0, 0), run(A, 5, 9, 1, 1), run(A, 9.5, 12, 3, 3)], 0, [[A, 0, 9], [A, 9.5, 12]]],
  ] as const)('%s', (_, runs, gap, expected) => {
    expect(spans(mergeNearbyRuns(runs, gap))).toEqual(expected);
  });

  it('spans every interval of the merged runs', () => {
    const merged = mergeNearbyRuns([run(A, 0, 5, 0, 1), run(A, 5.5, 9, 3, 4)], 1);
    expect(merged).toEqual([run(A, 0, 9, 0, 4)]);
  });
});
