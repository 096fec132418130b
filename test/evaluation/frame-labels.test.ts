import { describe, expect, it } from 'vitest';
import { BACKGROUND, frameCount, frameLabels } from '../../src/evaluation/frame-labels.js';
import { LongviewError } from '../../src/shared/errors.js';

const span = (label: string, startSeconds: number, endSeconds: number) => ({ label, startSeconds, endSeconds });
const B = BACKGROUND;

describe('frameLabels', () => {
  it.each([
    ['two segments on a 2 fps grid (frame centres 0.25, 0.75, …)', [span('a', 0, 1.5), span('b', 1.5, 3)], 2, 3, ['a', 'a', 'a', 'b', 'b', 'b']],
    ['a gap is background', [span('a', 0, 1), span('b', 2, 3)], 1, 3, ['a', B, 'b']],
    ['a frame goes to the segment holding its centre', [span('a', 0, 1.4), span('b', 1.4, 3)], 1, 3, ['a', 'b', 'b']],
    ['a segment shorter than a frame may take none', [span('a', 0.6, 0.9)], 1, 2, [B, B]],
    ['segments past the end are clipped', [span('a', 1, 99)], 1, 3, [B, 'a', 'a']],
    ['no segments: all background', [], 2, 1.5, [B, B, B]],
    ['a zero duration has no frames', [span('a', 0, 1)], 30, 0, []],
    ['later segments win where they overlap', [span('a', 0, 3), span('b', 1, 2)], 1, 3, ['a', 'b', 'a']],
  ])('%s', (_name, segments, fps, duration, labels) => {
    expect(frameLabels(segments, fps, duration)).toEqual(labels);
  });

  it.each([
    [180, 30, 5400],
    [2.98, 30, 89],
    [2.99, 30, 90],
    [0, 30, 0],
  ])('frameCount(%d s, %d fps) = %i', (duration, fps, count) => {
    expect(frameCount(duration, fps)).toBe(count);
  });

  it.each([
    ['a zero frame rate', 0, 10],
    ['a negative frame rate', -1, 10],
    ['a NaN duration', 30, Number.NaN],
    ['a negative duration', 30, -1],
  ])('refuses %s with a usage error', (_name, fps, duration) => {
    expect(() => frameLabels([], fps, duration)).toThrow(LongviewError);
  });
});
