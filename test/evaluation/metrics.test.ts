/** Segmentation metrics on hand-computed cases: one character a frame, '-' is background. */
import { describe, expect, it } from 'vitest';
import { BACKGROUND } from '../../src/evaluation/frame-labels.js';
import { editScore, evaluateSegmentation, f1Score, intersectionOverUnion, labelRuns, levenshtein } from '../../src/evaluation/metrics.js';
import { LongviewError } from '../../src/shared/errors.js';

function frames(text: string): string[] {
  return [...text].map((character) => (character === '-' ? BACKGROUND : character));
}

describe('evaluateSegmentation', () => {
  it.each([
    // name, predicted, truth, accuracy, edit, F1@10, F1@25, F1@50, predicted segments, true segments
    ['perfect', 'aaaabbbbcc', 'aaaabbbbcc', 100, 100, 100, 100, 100, 3, 3],
    // a: IoU 4/5, b: 5/6
    ['shifted by one frame', 'aaaaabbbbb', 'aaaabbbbbb', 90, 100, 100, 100, 100, 2, 2],
    // a: IoU 4/6, b: 2/4 = exactly 0.5, which counts at τ = 0.5
    ['shifted by two frames', 'aaaaaabb', 'aaaabbbb', 75, 100, 100, 100, 100, 2, 2],
    // runs a b a against one a: edit 1 − 2/3; F1@10: the first a matches (IoU 0.4), b and the second a are false positives → P 1/3, R 1
    ['over-segmented', 'aaaabbaaaa', 'aaaaaaaaaa', 80, 100 / 3, 50, 50, 0, 3, 1],
    // a and c found, b missed: P 1, R 2/3 → F1 0.8
    ['missing a segment', 'aaaa----cc', 'aaaabbbbcc', 60, 200 / 3, 80, 80, 80, 2, 3],
    ['empty prediction', '----------', 'aaaabbbbcc', 0, 0, 0, 0, 0, 0, 3],
    ['nothing to find and nothing found', '------', '------', 100, 100, 0, 0, 0, 0, 0],
    ['the wrong label', 'bbbb', 'aaaa', 0, 0, 0, 0, 0, 1, 1],
    ['background frames count in accuracy only', '--aaaa--', '--aaaa--', 100, 100, 100, 100, 100, 1, 1],
    // two predicted a's (IoU 4/9 each) want the same true a: the second is a false positive → P 1/2, R 1
    ['two predictions for one true segment', 'aaaa-aaaa-', 'aaaaaaaaa-', 90, 50, 200 / 3, 200 / 3, 0, 2, 1],
  ] as const)('%s', (_name, predicted, truth, accuracy, edit, at10, at25, at50, predictedSegments, trueSegments) => {
    const scores = evaluateSegmentation(frames(predicted), frames(truth));
    expect(scores.frameAccuracy).toBeCloseTo(accuracy, 9);
    expect(scores.edit).toBeCloseTo(edit, 9);
    expect(scores.f1.at10).toBeCloseTo(at10, 9);
    expect(scores.f1.at25).toBeCloseTo(at25, 9);
    expect(scores.f1.at50).toBeCloseTo(at50, 9);
    expect(scores.predictedSegments).toBe(predictedSegments);
    expect(scores.trueSegments).toBe(trueSegments);
    expect(scores.frames).toBe(truth.length);
  });

  it('refuses sequences of different lengths', () => {
    expect(() => evaluateSegmentation(frames('aa'), frames('aaa'))).toThrow(LongviewError);
  });

  it('scores zero frames as zero accuracy', () => {
    expect(evaluateSegmentation([], []).frameAccuracy).toBe(0);
  });
});

describe('the pieces', () => {
  it.each([
    ['', [], []],
    ['aab-b', [{ label: 'a', start: 0, end: 2 }, { label: 'b', start: 2, end: 3 }, { label: 'b', start: 4, end: 5 }], ['a', 'b', 'b']],
    ['---', [], []],
  ] as const)('labelRuns(%j)', (text, runs, labels) => {
    expect(labelRuns(frames(text))).toEqual(runs);
    expect(labelRuns(frames(text)).map((run) => run.label)).toEqual(labels);
  });

  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['abcd', 'abdc', 2],
    ['same', 'same', 0],
  ])('levenshtein(%j, %j) = %i', (from, to, distance) => {
    expect(levenshtein([...from], [...to])).toBe(distance);
    expect(levenshtein([...to], [...from])).toBe(distance);
  });

  it.each([
    [{ start: 0, end: 4 }, { start: 2, end: 6 }, 2 / 6],
    [{ start: 0, end: 4 }, { start: 4, end: 8 }, 0],
    [{ start: 0, end: 4 }, { start: 0, end: 4 }, 1],
    [{ start: 0, end: 10 }, { start: 3, end: 5 }, 0.2],
  ])('intersectionOverUnion(%j, %j) = %d', (left, right, iou) => {
    expect(intersectionOverUnion({ label: 'a', ...left }, { label: 'a', ...right })).toBeCloseTo(iou, 12);
  });

  it('matches only segments of the same label', () => {
    const truth = [{ label: 'a', start: 0, end: 10 }];
    expect(f1Score([{ label: 'b', start: 0, end: 10 }], truth, 0.1)).toBe(0);
    expect(f1Score([{ label: 'a', start: 0, end: 10 }], truth, 0.1)).toBe(100);
  });

  it('gives 100 for an edit between two empty sequences', () => {
    expect(editScore([], [])).toBe(100);
  });
});
