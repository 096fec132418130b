/** Which clips are examples of what: the coverage rule, flips, clip positions and actor patches. */
import { describe, expect, it } from 'vitest';
import { ACTIVITIES } from '../../src/synthetic/activities.js';
import type { PlannedActivity } from '../../src/synthetic/plan.js';
import { clipLabel, flippedLabel, reversedLabel } from '../../src/training/clip-labels.js';
import { actorPatchMasks, clipExamples } from '../../src/training/training-set.js';

const plan: PlannedActivity[] = [
  { activity: 'idle', startSeconds: 0, endSeconds: 4 },
  { activity: 'circling', startSeconds: 4, endSeconds: 10 },
  { activity: 'moving left', startSeconds: 10, endSeconds: 12 },
];
const index = (activity: (typeof ACTIVITIES)[number]): number => ACTIVITIES.indexOf(activity);

describe('clipLabel', () => {
  it.each([
    ['inside one activity', 0, 3.2, index('idle')],
    ['exactly 75 % idle', 1.6, 4.8, index('idle')], // 2.4 of 3.2 s: the threshold counts
    ['80 % circling', 3.36, 6.56, index('circling')],
    ['an even split', 2.4, 5.6, undefined],
    ['past the plan’s end', 11, 14.2, undefined],
    ['an empty span', 5, 5, undefined],
  ])('%s', (_name, start, end, expected) => {
    expect(clipLabel(plan, start, end)).toBe(expected);
  });

  it('takes a stricter coverage when asked', () => {
    expect(clipLabel(plan, 3.36, 6.56, 0.9)).toBeUndefined();
  });
});

describe('flippedLabel', () => {
  it('swaps moving left and right and keeps every other activity', () => {
    expect(flippedLabel(index('moving left'))).toBe(index('moving right'));
    expect(flippedLabel(index('moving right'))).toBe(index('moving left'));
    for (const activity of ['idle', 'circling', 'growing', 'shrinking', 'blinking'] as const) expect(flippedLabel(index(activity))).toBe(index(activity));
  });
});

describe('clipExamples', () => {
  const sampling = { imageSize: 64, patchSize: 8, frames: 16, frameStride: 6, samplingFps: 30 };
  it('labels every full clip position and skips clips across a change', () => {
    const seconds = Array.from({ length: 60 }, (_, frame) => frame * 0.2); // 12 s of sampled frames
    const examples = clipExamples(seconds, plan, sampling);
    expect(examples[0]).toEqual({ startFrame: 0, label: index('idle') });
    // A clip spans 3.2 s; positions up to 60 − 16.
    expect(Math.max(...examples.map((example) => example.startFrame))).toBeLessThanOrEqual(44);
    for (const example of examples) expect(example.label).toBe(clipLabel(plan, seconds[example.startFrame]!, seconds[example.startFrame + 15]! + 0.2));
    expect(examples.some((example) => example.startFrame === 10)).toBe(false); // 2.0–5.2 s: 62 % idle
    expect(examples.some((example) => example.label === index('moving left'))).toBe(false); // only 2 s of it
  });
});

describe('actorPatchMasks', () => {
  const sampling = { imageSize: 64, patchSize: 8, frames: 16, frameStride: 6, samplingFps: 30 };
  it('weights each patch by the share of it the box covers, at the frame nearest each timestamp', () => {
    // 288 px video, 8×8 grid: a patch is 36 px. Frames 0–5: 18×18 px inside patch (row 1, col 2), a quarter of it.
    // Frames 6–11: 36×36 px from (18, 18), a quarter of each of four patches.
    const boxes = Array.from({ length: 12 }, (_, frame) => (frame < 6 ? { x: 80, y: 40, width: 18, height: 18 } : { x: 18, y: 18, width: 36, height: 36 }));
    const masks = actorPatchMasks([0, 0.2], boxes, 288, sampling);
    const weights = (frame: number): Record<number, number> =>
      Object.fromEntries([...masks.subarray(frame * 64, frame * 64 + 64).entries()].filter(([, weight]) => weight > 0));
    expect(weights(0)).toEqual({ [1 * 8 + 2]: 0.25 });
    expect(weights(1)).toEqual({ 0: 0.25, 1: 0.25, 8: 0.25, 9: 0.25 });
  });

  it('sets nothing where the actor is hidden', () => {
    const masks = actorPatchMasks([0], [{ x: 10, y: 10, width: 0, height: 0 }], 288, sampling);
    expect(masks.every((value) => value === 0)).toBe(true);
  });
});

describe('reversedLabel', () => {
  it.each([
    ['moving left', 'moving right'],
    ['moving right', 'moving left'],
    ['growing', 'shrinking'],
    ['shrinking', 'growing'],
    ['idle', 'idle'],
    ['circling', 'circling'],
    ['blinking', 'blinking'],
  ] as const)('%s played backwards is %s', (activity, reversed) => {
    expect(reversedLabel(index(activity))).toBe(index(reversed));
  });
});
