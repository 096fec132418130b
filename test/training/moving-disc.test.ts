/** The direction probe's clips: a disc that moves the labelled way, stays inside, and masks that match it. */
import { describe, expect, it } from 'vitest';
import { ACTIVITIES } from '../../src/synthetic/activities.js';
import { DISC_SPEED, movingDiscSet, renderDiscVideo } from '../../src/training/moving-disc.js';
import type { TrainingVideo } from '../../src/training/training-set.js';

const options = { frames: 16, imageSize: 64, patchSize: 8 };
const LEFT = ACTIVITIES.indexOf('moving left');
const RIGHT = ACTIVITIES.indexOf('moving right');

/** Column centroid of the disc's (red-dominant) pixels in one frame, or NaN when none show. */
function centroidX(video: TrainingVideo, frame: number): number {
  const size = video.imageSize;
  let sum = 0;
  let count = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const index = ((frame * size + y) * size + x) * 3;
      if (video.pixels[index]! > 150) {
        sum += x + 0.5;
        count += 1;
      }
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

describe('movingDiscSet', () => {
  const set = movingDiscSet(7, 40, options);

  it('alternates moving left and moving right, one clip per video from frame 0', () => {
    expect(set.examples.map((example) => example.label)).toEqual(Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? LEFT : RIGHT)));
    expect(set.examples.every((example, index) => example.video === index && example.startFrame === 0)).toBe(true);
    expect(set.classCounts[LEFT]).toBe(20);
    expect(set.classCounts[RIGHT]).toBe(20);
    expect(set.videos.every((video) => video.frameCount === 16 && video.pixels.length === 16 * 64 * 64 * 3 && video.grid === 8)).toBe(true);
  });

  it('moves the disc the labelled way every frame, within the speed range, never leaving the frame', () => {
    for (const example of set.examples) {
      const video = set.videos[example.video]!;
      const direction = example.label === RIGHT ? 1 : -1;
      for (let frame = 1; frame < video.frameCount; frame++) {
        const step = centroidX(video, frame) - centroidX(video, frame - 1);
        // A pixelated disc's centroid moves by the speed ± under a pixel.
        expect(direction * step).toBeGreaterThan(DISC_SPEED.min - 1);
        expect(direction * step).toBeLessThan(DISC_SPEED.max + 1);
      }
      const size = video.imageSize;
      for (let frame = 0; frame < video.frameCount; frame++) {
        for (let y = 0; y < size; y++) {
          // The border columns stay background: the disc never touches (or wraps over) the frame's edge.
          expect(video.pixels[((frame * size + y) * size) * 3]).toBe(60);
          expect(video.pixels[((frame * size + y) * size + size - 1) * 3]).toBe(60);
        }
      }
    }
  });

  it('is deterministic by seed and differs between seeds', () => {
    expect(movingDiscSet(7, 4, options).videos[3]!.pixels).toEqual(movingDiscSet(7, 4, options).videos[3]!.pixels);
    expect(movingDiscSet(8, 4, options).videos[3]!.pixels).not.toEqual(movingDiscSet(7, 4, options).videos[3]!.pixels);
  });
});

describe('renderDiscVideo', () => {
  it('masks each patch by the share of its pixels the disc covers', () => {
    // Radius 4 centred on the corner shared by patches (row 3, col 3) … (row 4, col 4): four equal quarters.
    const video = renderDiscVideo(0, { frames: 2, imageSize: 64, patchSize: 8 }, (frame) => ({ x: 32 + 8 * frame, y: 32, radius: 4 }));
    const mask = (frame: number, row: number, column: number): number => video.actorPatches[frame * 64 + row * 8 + column]!;
    const quarter = mask(0, 3, 3);
    expect(quarter).toBeGreaterThan(0.15); // π·4²/4 ≈ 12.6 of a patch's 64 pixels
    expect(quarter).toBeLessThan(0.25);
    for (const [row, column] of [[3, 4], [4, 3], [4, 4]] as const) expect(mask(0, row, column)).toBeCloseTo(quarter, 6);
    expect(mask(0, 3, 5)).toBe(0);
    // One patch to the right a frame later.
    expect(mask(1, 3, 4)).toBeCloseTo(quarter, 6);
    expect(mask(1, 3, 3)).toBe(0);
    const total = Array.from(video.actorPatches.subarray(0, 64)).reduce((sum, value) => sum + value, 0) * 64;
    const redPixels = Array.from({ length: 64 * 64 }, (_, pixel) => video.pixels[pixel * 3]!).filter((red) => red > 150).length;
    expect(total).toBeCloseTo(redPixels, 4);
  });
});
