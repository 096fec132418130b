/** Heatmap mass on the actor, with hand-made heatmaps and hand-computed box mappings. */
import { describe, expect, it } from 'vitest';
import { boxInInput, frameShare, heatmapMassInBox, type HeatmapMassInput } from '../../src/evaluation/heatmap-mass.js';
import type { CompactHeatmap } from '../../src/shared/analysis.js';
import { LongviewError } from '../../src/shared/errors.js';

/** A heatmap from rows of numbers, one list of rows per frame. */
function heatmap(frames: number[][][]): CompactHeatmap {
  const height = frames[0]?.length ?? 0;
  const width = frames[0]?.[0]?.length ?? 0;
  return { frames: frames.length, height, width, data: Uint8Array.from(frames.flat(2)), maximum: 1 };
}

const uniform = (rows: number, columns: number) => Array.from({ length: rows }, () => new Array<number>(columns).fill(10));

describe('boxInInput', () => {
  it.each([
    // video w×h, input size, box → [left, top, right, bottom] in input pixels
    ['a square video is only scaled', 288, 288, 224, [0, 0, 288, 288], [0, 0, 224, 224]],
    ['a square video, a box in the middle', 288, 288, 144, [72, 36, 144, 72], [36, 18, 108, 54]],
    // 320×240 → 299×224 (ceil of 298.67), crop offset floor(37.5) rounded down to even = 36, scale x 299/320
    ['a landscape video is cropped at the sides', 320, 240, 224, [40, 24, 80, 48], [1.375, 22.4, 76.125, 67.2]],
    // 240×320 → 224×299, crop offset 36 at the top
    ['a portrait video is cropped at top and bottom', 240, 320, 224, [24, 40, 48, 80], [22.4, 1.375, 67.2, 76.125]],
    ['a box outside the crop is clipped to nothing', 320, 240, 224, [0, 0, 30, 240], [0, 0, 0, 224]],
  ] as const)('%s', (_name, width, height, size, box, [left, top, right, bottom]) => {
    const rectangle = boxInInput(box, width, height, size);
    expect(rectangle.left).toBeCloseTo(left, 9);
    expect(rectangle.top).toBeCloseTo(top, 9);
    expect(rectangle.right).toBeCloseTo(right, 9);
    expect(rectangle.bottom).toBeCloseTo(bottom, 9);
  });

  it('takes the generator\'s boxes too', () => {
    expect(boxInInput({ x: 72, y: 36, width: 144, height: 72 }, 288, 288, 144)).toEqual(boxInInput([72, 36, 144, 72], 288, 288, 144));
  });
});

describe('frameShare', () => {
  const size = 224;
  it.each([
    ['a uniform map, the top-left quadrant', uniform(2, 2), { left: 0, top: 0, right: 112, bottom: 112 }, 0.25],
    ['a uniform map, the whole picture', uniform(4, 4), { left: 0, top: 0, right: 224, bottom: 224 }, 1],
    ['a uniform map, half of one cell of four', uniform(2, 2), { left: 0, top: 0, right: 56, bottom: 112 }, 0.125],
    ['all mass in one cell, the box on it', [[0, 0], [0, 40]], { left: 112, top: 112, right: 224, bottom: 224 }, 1],
    ['all mass in one cell, the box elsewhere', [[0, 0], [0, 40]], { left: 0, top: 0, right: 112, bottom: 112 }, 0],
    // mass 30 in the top-left cell, 10 in the bottom-right; the box covers a quarter of the top-left cell and all of the bottom-right
    ['fractional overlap weighs each cell', [[30, 0], [0, 10]], { left: 56, top: 56, right: 224, bottom: 224 }, (30 * 0.25 + 10) / 40],
    ['an empty box', uniform(2, 2), { left: 50, top: 50, right: 50, bottom: 90 }, 0],
    ['no mass at all counts zero', [[0, 0], [0, 0]], { left: 0, top: 0, right: 224, bottom: 224 }, 0],
  ])('%s', (_name, rows, rectangle, share) => {
    expect(frameShare(heatmap([rows]), 0, rectangle, size)).toBeCloseTo(share, 12);
  });
});

describe('heatmapMassInBox', () => {
  // Two 2×2 frames with all mass top-left; boxes at 2 fps: frames 0 and 1 top-left, frame 2 bottom-right.
  const topLeft = [[50, 0], [0, 0]];
  const base: HeatmapMassInput = {
    heatmap: heatmap([topLeft, topLeft]),
    frameTimes: [0, 1],
    boxes: [[0, 0, 144, 144], [0, 0, 144, 144], [144, 144, 144, 144]],
    fps: 2,
    videoWidth: 288,
    videoHeight: 288,
    imageSize: 224,
  };

  it('picks each frame\'s box by its time and averages the shares', () => {
    expect(heatmapMassInBox(base)).toBeCloseTo((1 + 0) / 2, 12);
    expect(heatmapMassInBox({ ...base, frameTimes: [0, 0.5] })).toBeCloseTo(1, 12);
  });

  it('uses only the real frames of a padded window', () => {
    expect(heatmapMassInBox({ ...base, frameTimes: [0] })).toBeCloseTo(1, 12);
  });

  it('uses the last box for times past the end, and gives 0 for a window without frames', () => {
    expect(heatmapMassInBox({ ...base, frameTimes: [0, 60] })).toBeCloseTo(0.5, 12);
    expect(heatmapMassInBox({ ...base, frameTimes: [] })).toBe(0);
  });

  it.each([
    ['a heatmap of the wrong byte count', { heatmap: { ...heatmap([topLeft]), frames: 2 } }],
    ['no boxes', { boxes: [] }],
    ['a zero frame rate', { fps: 0 }],
    ['a zero input size', { imageSize: 0 }],
    ['a NaN frame time', { frameTimes: [Number.NaN] }],
  ])('refuses %s with a usage error', (_name, change) => {
    expect(() => heatmapMassInBox({ ...base, ...change })).toThrow(LongviewError);
  });
});
