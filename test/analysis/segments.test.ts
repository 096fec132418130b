import { describe, expect, it } from 'vitest';
import { timelineScores } from '../../src/analysis/scores.js';
import { DEFAULT_SEGMENTATION, segmentTimeline, validateSegmentation } from '../../src/analysis/segments.js';
import type { SegmentationParams } from '../../src/shared/analysis.js';
import { LongviewError } from '../../src/shared/errors.js';
import { secondsFrom, timelineFrom } from './segment-fixtures.js';

const labels = ['archery', 'bowling', 'cooking', 'dancing', 'eating'];

/** Plain thresholds and no clean-up, so each test switches on only the step it is about. */
const bare: SegmentationParams = { scores: 'mean-softmax', smoothingSeconds: 0, enterThreshold: 0.3, exitThreshold: 0.2, minDurationSeconds: 0, mergeGapSeconds: 0 };

function summary(segments: ReturnType<typeof segmentTimeline>): [string, number, number][] {
  return segments.map((segment) => [segment.label, segment.startSeconds, segment.endSeconds]);
}

describe('validateSegmentation', () => {
  it('accepts the defaults and returns a copy', () => {
    const checked = validateSegmentation(DEFAULT_SEGMENTATION);
    expect(checked).toEqual(DEFAULT_SEGMENTATION);
    expect(checked).not.toBe(DEFAULT_SEGMENTATION);
  });

  it.each([
    ['exit above enter', { exitThreshold: 0.5, enterThreshold: 0.4 }, /exit threshold \(0\.5\) is above the enter threshold/],
    ['enter above 1', { enterThreshold: 1.5 }, /enterThreshold must be a probability between 0 and 1, not 1\.5/],
    ['negative exit', { exitThreshold: -0.1 }, /exitThreshold must be a probability/],
    ['NaN threshold', { enterThreshold: Number.NaN }, /enterThreshold .* not NaN/],
    ['negative smoothing', { smoothingSeconds: -1 }, /smoothingSeconds must be a number of seconds, 0 or more, not -1/],
    ['negative minimum duration', { minDurationSeconds: -0.5 }, /minDurationSeconds/],
    ['NaN merge gap', { mergeGapSeconds: Number.NaN }, /mergeGapSeconds .* not NaN/],
    ['infinite smoothing', { smoothingSeconds: Number.POSITIVE_INFINITY }, /smoothingSeconds/],
    ['a duration given as text', { minDurationSeconds: '2' as unknown as number }, /minDurationSeconds .* not the text "2"/],
    ['an unknown score mode', { scores: 'max' as SegmentationParams['scores'] }, /score mode must be "mean-softmax" or "sum-logits", not the text "max"/],
  ])('refuses %s as a usage error', (_, change, message) => {
    const attempt = () => validateSegmentation({ ...DEFAULT_SEGMENTATION, ...change });
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(expect.objectContaining({ kind: 'usage' }));
  });

  it.each([
    ['thresholds at the ends of 0..1', { enterThreshold: 1, exitThreshold: 0 }],
    ['equal thresholds', { enterThreshold: 0.4, exitThreshold: 0.4 }],
    ['every clean-up off', { smoothingSeconds: 0, minDurationSeconds: 0, mergeGapSeconds: 0 }],
  ])('accepts %s', (_, change) => {
    expect(validateSegmentation({ ...DEFAULT_SEGMENTATION, ...change })).toMatchObject(change);
  });

  it('is applied by segmentTimeline', () => {
    expect(() => segmentTimeline(secondsFrom([[1, 0]]), labels, { ...bare, exitThreshold: 0.9 }, 30)).toThrow(LongviewError);
  });
});

describe('segmentTimeline', () => {
  it('finds nothing in an empty timeline', () => {
    expect(segmentTimeline(timelineScores([], 'mean-softmax'), labels, DEFAULT_SEGMENTATION, 30)).toEqual([]);
  });

  it('turns one confident window into one fully described segment', () => {
    // softmax([4, 2, 1, 0, 0]) ≈ [0.79, 0.11, 0.04, 0.015, 0.015]
    const timeline = timelineScores([{ startSeconds: 1, endSeconds: 13.8, logits: [4, 2, 1, 0, 0] }], 'mean-softmax');
    const [segment, ...rest] = segmentTimeline(timeline, labels, DEFAULT_SEGMENTATION, 25);
    expect(rest).toEqual([]);
    expect(segment).toMatchObject({ startSeconds: 1, endSeconds: 13.8, startFrame: 25, endFrame: 345, label: 'archery', labelIndex: 0 });
    expect(segment!.confidence).toBeCloseTo(timeline.scores[0]!, 6);
    expect(segment!.alternatives.map((alternative) => alternative.label)).toEqual(['bowling', 'cooking', 'dancing']);
    expect(segment!.alternatives[0]!.score).toBeCloseTo(timeline.scores[1]!, 6);
  });

  it('finds nothing when every score is below the enter threshold', () => {
    const timeline = secondsFrom([[0.25, 0.2, 0.2, 0.2, 0.15], [0.2, 0.29, 0.2, 0.2, 0.11]]);
    expect(segmentTimeline(timeline, labels, bare, 30)).toEqual([]);
  });

  it('holds a class through a dip, then switches', () => {
    const timeline = secondsFrom([
      [0.6, 0.1, 0.1, 0.1, 0.1],
      [0.25, 0.2, 0.25, 0.15, 0.15],
      [0.6, 0.1, 0.1, 0.1, 0.1],
      [0.1, 0.7, 0.1, 0.05, 0.05],
    ]);
    expect(summary(segmentTimeline(timeline, labels, bare, 30))).toEqual([['archery', 0, 3], ['bowling', 3, 4]]);
  });

  it('removes a flicker shorter than the minimum duration', () => {
    const timeline = timelineFrom([
      [0, 10, [0.6, 0.1, 0.1, 0.1, 0.1]],
      [10, 11, [0.3, 0.4, 0.1, 0.1, 0.1]],
      [11, 20, [0.6, 0.1, 0.1, 0.1, 0.1]],
    ]);
    expect(summary(segmentTimeline(timeline, labels, bare, 30))).toEqual([['archery', 0, 10], ['bowling', 10, 11], ['archery', 11, 20]]);
    expect(summary(segmentTimeline(timeline, labels, { ...bare, minDurationSeconds: 2 }, 30))).toEqual([['archery', 0, 20]]);
  });

  it('merges same-label segments across a short unlabeled gap', () => {
    const timeline = timelineFrom([
      [0, 5, [0.6, 0.1, 0.1, 0.1, 0.1]],
      [5, 5.5, [0.1, 0.1, 0.1, 0.1, 0.1]],
      [5.5, 10, [0.6, 0.1, 0.1, 0.1, 0.1]],
    ]);
    expect(summary(segmentTimeline(timeline, labels, bare, 30))).toEqual([['archery', 0, 5], ['archery', 5.5, 10]]);
    const [merged] = segmentTimeline(timeline, labels, { ...bare, mergeGapSeconds: 1 }, 30);
    expect([merged!.startSeconds, merged!.endSeconds]).toEqual([0, 10]);
    // The gap's low scores count towards the merged segment's mean: (9.5 × 0.6 + 0.5 × 0.1) / 10.
    expect(merged!.confidence).toBeCloseTo(0.575, 6);
  });

  it('smooths a one-interval dip away when asked to', () => {
    const timeline = secondsFrom([
      [0.5, 0.1, 0.1, 0.1, 0.1],
      [0.5, 0.1, 0.1, 0.1, 0.1],
      [0.05, 0.1, 0.1, 0.1, 0.1],
      [0.5, 0.1, 0.1, 0.1, 0.1],
      [0.5, 0.1, 0.1, 0.1, 0.1],
    ]);
    expect(segmentTimeline(timeline, labels, bare, 30)).toHaveLength(2);
    // A 3 s box lifts the dip to (0.5 + 0.05 + 0.5) / 3 = 0.35, above exit.
    expect(summary(segmentTimeline(timeline, labels, { ...bare, smoothingSeconds: 3 }, 30))).toEqual([['archery', 0, 5]]);
  });

  it('weights confidence and alternatives by duration over unequal intervals', () => {
    const timeline = timelineFrom([
      [0, 1, [0.9, 0.05, 0.05, 0, 0]],
      [1, 4, [0.5, 0.1, 0.3, 0.1, 0]],
    ]);
    const [segment] = segmentTimeline(timeline, labels, bare, 30);
    expect(segment!.confidence).toBeCloseTo((0.9 + 3 * 0.5) / 4, 6);
    expect(segment!.alternatives.map((alternative) => [alternative.label, Number(alternative.score.toFixed(4))])).toEqual([
      ['cooking', Number(((0.05 + 3 * 0.3) / 4).toFixed(4))],
      ['bowling', Number(((0.05 + 3 * 0.1) / 4).toFixed(4))],
      ['dancing', Number(((3 * 0.1) / 4).toFixed(4))],
    ]);
  });

  it('breaks alternative ties by the lower class index and never lists the label itself', () => {
    const [segment] = segmentTimeline(secondsFrom([[0.1, 0.1, 0.5, 0.1, 0.1]]), labels, bare, 30);
    expect(segment!.alternatives.map((alternative) => alternative.index)).toEqual([0, 1, 3]);
  });

  it.each([
    [25, 1, 2, 25, 50],
    [30, 0.5, 1.05, 15, 32],
    // 2.0 s × 30 fps is frame 60 exactly, however the multiplication rounds.
    [30, 0.1 + 0.2, 2.0, 9, 60],
    // Frame 299 runs 9.977–10.010 s at 29.97 fps, so 10.01 s is still inside it.
    [29.97, 10.01, 20, 299, 600],
    [0, 1, 2, 30, 60],
    [Number.NaN, 1, 2, 30, 60],
    [-5, 1, 2, 30, 60],
  ])('at %d fps, %d–%d s is frames %i–%i (unknown rates read as 30)', (frameRate, start, end, startFrame, endFrame) => {
    const [segment] = segmentTimeline(timelineFrom([[start, end, [0.9, 0.1]]]), labels, bare, frameRate);
    expect([segment!.startFrame, segment!.endFrame]).toEqual([startFrame, endFrame]);
  });

  it('names classes the label list lacks', () => {
    const [segment] = segmentTimeline(secondsFrom([[0.1, 0.9]]), ['only one'], bare, 30);
    expect(segment!.label).toBe('class 1');
  });

  it('labels overlapping windows end to end with the defaults', () => {
    // Six 12.8 s windows every 6.4 s: three say "cooking", then three say "dancing".
    const windows = Array.from({ length: 6 }, (_, index) => ({
      startSeconds: index * 6.4,
      endSeconds: index * 6.4 + 12.8,
      logits: index < 3 ? [0, 0, 5, 1, 0] : [0, 0, 1, 5, 0],
    }));
    const segments = segmentTimeline(timelineScores(windows, 'mean-softmax'), labels, DEFAULT_SEGMENTATION, 30);
    expect(segments.map((segment) => segment.label)).toEqual(['cooking', 'dancing']);
    expect(segments[0]!.startSeconds).toBe(0);
    expect(segments[1]!.endSeconds).toBeCloseTo(44.8, 9);
    expect(segments[0]!.endSeconds).toBe(segments[1]!.startSeconds);
  });
});
