import { describe, expect, it } from 'vitest';
import type { EditedSegment } from '../../src/shared/api.js';
import { reviewOrder, sortSegments, type SegmentSortKey } from '../../renderer/src/lib/review-order.js';

function segment(id: string, startSeconds: number, confidence: number, origin: EditedSegment['origin'] = 'model'): EditedSegment {
  return { id, startSeconds, endSeconds: startSeconds + 1, label: 'x', labelIndex: 0, confidence, origin };
}

describe('reviewOrder', () => {
  it.each<[string, EditedSegment[], string[]]>([
    ['least confident first', [segment('a', 0, 0.9), segment('b', 5, 0.2), segment('c', 9, 0.5)], ['b', 'c', 'a']],
    ['ties: earlier first', [segment('late', 50, 0.4), segment('early', 10, 0.4), segment('middle', 20, 0.4)], ['early', 'middle', 'late']],
    ['edited after unedited', [segment('e', 0, 0.1, 'edited'), segment('u', 9, 0.99)], ['u', 'e']],
    ['edited among themselves by confidence', [segment('e1', 0, 0.8, 'edited'), segment('u', 4, 0.5), segment('e2', 2, 0.3, 'edited')], ['u', 'e2', 'e1']],
    ['a broken confidence first', [segment('ok', 0, 0.1), segment('broken', 4, Number.NaN)], ['broken', 'ok']],
    ['empty', [], []],
  ])('%s', (_name, segments, expected) => {
    const before = segments.map((entry) => entry.id);
    expect(reviewOrder(segments).map((entry) => entry.id)).toEqual(expected);
    expect(segments.map((entry) => entry.id)).toEqual(before);
  });
});

describe('sortSegments', () => {
  const list = [segment('c', 20, 0.5), { ...segment('a', 0, 0.9), label: 'walk' }, { ...segment('b', 10, 0.5), label: 'run' }, segment('d', 30, 0.1, 'edited')];

  it.each<[SegmentSortKey, boolean, string[]]>([
    ['time', false, ['a', 'b', 'c', 'd']],
    ['time', true, ['d', 'c', 'b', 'a']],
    ['confidence', false, ['d', 'b', 'c', 'a']], // b and c tie: earlier first
    ['confidence', true, ['a', 'c', 'b', 'd']],
    ['label', false, ['b', 'a', 'c', 'd']], // run, walk, x, x
    ['review', false, ['b', 'c', 'a', 'd']],
    ['review', true, ['b', 'c', 'a', 'd']],
  ])('by %s (descending %s)', (key, descending, expected) => {
    expect(sortSegments(list, key, descending).map((entry) => entry.id)).toEqual(expected);
  });
});
