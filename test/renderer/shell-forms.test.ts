import { describe, expect, it } from 'vitest';
import type { SegmentationParams } from '../../src/shared/analysis.js';
import { describeError } from '../../renderer/src/lib/error-text.js';
import { isUsable, segmentationProblems } from '../../renderer/src/lib/segmentation-form.js';
import { batches, thumbnailTimes } from '../../renderer/src/lib/thumbnail-times.js';
import { parseWindowFields } from '../../renderer/src/lib/window-settings.js';

const good: SegmentationParams = { scores: 'mean-softmax', smoothingSeconds: 1, enterThreshold: 0.5, exitThreshold: 0.3, minDurationSeconds: 2, mergeGapSeconds: 1 };

describe('segmentation form', () => {
  it.each<[Partial<SegmentationParams>, string[]]>([
    [{}, []],
    [{ enterThreshold: 1.2 }, ['enterThreshold']],
    [{ exitThreshold: 0.6 }, ['exitThreshold']],
    [{ exitThreshold: 0.5 }, []],
    [{ exitThreshold: Number.NaN }, ['exitThreshold']],
    [{ minDurationSeconds: -1 }, ['minDurationSeconds']],
    [{ smoothingSeconds: Number.POSITIVE_INFINITY, mergeGapSeconds: 4000 }, ['smoothingSeconds', 'mergeGapSeconds']],
    [{ scores: 'median' as never }, ['scores']],
  ])('%j → problems in %j', (change, fields) => {
    const problems = segmentationProblems({ ...good, ...change });
    expect(Object.keys(problems).sort()).toEqual([...fields].sort());
    expect(isUsable(problems)).toBe(fields.length === 0);
  });
});

describe('window fields', () => {
  it.each([
    [{ windowFrames: '', frameStride: '', windowStrideSeconds: '' }, {}, []],
    [{ windowFrames: '16', frameStride: ' 8 ', windowStrideSeconds: '2.5' }, { windowFrames: 16, frameStride: 8, windowStrideSeconds: 2.5 }, []],
    [{ windowFrames: '0', frameStride: '1.5', windowStrideSeconds: '-1' }, {}, ['windowFrames', 'frameStride', 'windowStrideSeconds']],
    [{ windowFrames: '385', frameStride: '1001', windowStrideSeconds: 'abc' }, {}, ['windowFrames', 'frameStride', 'windowStrideSeconds']],
    [{ windowFrames: '384', frameStride: '', windowStrideSeconds: '3600' }, { windowFrames: 384, windowStrideSeconds: 3600 }, []],
  ])('%j', (fields, overrides, problems) => {
    const parsed = parseWindowFields(fields);
    expect(parsed.overrides).toEqual(overrides);
    expect(Object.keys(parsed.problems).sort()).toEqual([...problems].sort());
  });
});

describe('thumbnail times', () => {
  it('takes the middle of equal slices, from the first frame on', () => {
    expect(thumbnailTimes(10, 4)).toEqual([1.25, 3.75, 6.25, 8.75]);
    expect(thumbnailTimes(10, 2, 0.5)).toEqual([3, 8]);
    expect(thumbnailTimes(20)).toHaveLength(100);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('has none for a duration of %s', (duration) => {
    expect(thumbnailTimes(duration)).toEqual([]);
  });

  it('batches by 16, the last batch short', () => {
    const sizes = batches(thumbnailTimes(20)).map((batch) => batch.length);
    expect(sizes).toEqual([16, 16, 16, 16, 16, 16, 4]);
  });
});

describe('describeError', () => {
  it.each([
    [{ kind: 'input', reason: 'not-a-video', message: 'x is not a video' }, { kind: 'input', title: 'Problem with the video', reason: 'not-a-video', message: 'x is not a video' }],
    [{ kind: 'model', reason: 'truncated', message: 'cut short' }, { kind: 'model', title: 'Problem with the model', reason: 'truncated', message: 'cut short' }],
    [{ name: 'LongviewError', kind: 'usage', reason: 'usage', message: 'no' }, { kind: 'usage', title: 'Not possible', reason: 'usage', message: 'no' }],
    [new Error('boom'), { kind: 'internal', title: 'Internal error', reason: 'unexpected', message: 'boom' }],
    [{ kind: 'alien', message: 'hm' }, { kind: 'internal', title: 'Internal error', reason: 'unexpected', message: 'hm' }],
    ['plain text', { kind: 'internal', title: 'Internal error', reason: 'unexpected', message: 'plain text' }],
    [null, { kind: 'internal', title: 'Internal error', reason: 'unexpected', message: 'something went wrong' }],
  ])('%j', (error, expected) => {
    expect(describeError(error)).toEqual(expected);
  });
});
