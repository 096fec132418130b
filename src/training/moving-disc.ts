/**
 * The direction probe's data (direction-probe.ts): a bright disc crossing a flat grey frame to the
 * left or to the right, nothing else. It is the easiest clip whose class only the order of frames
 * decides: no texture, no noise, no distractors, no wrap-around at the border. A recipe that cannot
 * learn this in its budget cannot learn the demo generator's moving left / right either. Pure:
 * the same seed gives the same clips.
 */
import { ACTIVITIES } from '../synthetic/activities.js';
import { randomIndex, uniformSource } from './random.js';
import type { TrainingSet, TrainingVideo } from './training-set.js';

export interface MovingDiscOptions {
  /** Frames per clip. */
  frames: number;
  /** Frame side, pixels (square frames). */
  imageSize: number;
  /** Patch side, pixels: the grid of the actor masks. */
  patchSize: number;
}

/** Disc radius and speed ranges, in pixels and pixels per frame, at any image size (not scaled). */
export const DISC_RADIUS = { min: 4, max: 8 } as const;
export const DISC_SPEED = { min: 1, max: 2.5 } as const;

const BACKGROUND = [60, 60, 60] as const;
const DISC = [230, 60, 60] as const;

const LEFT = ACTIVITIES.indexOf('moving left');
const RIGHT = ACTIVITIES.indexOf('moving right');

/**
 * `count` one-clip videos, labels alternating moving left / moving right, each an example at frame 0.
 * The disc starts where it stays inside the frame for the whole clip.
 */
export function movingDiscSet(seed: number, count: number, options: MovingDiscOptions): TrainingSet {
  const uniform = uniformSource(seed);
  const between = (range: { min: number; max: number }): number => range.min + (range.max - range.min) * uniform();
  const videos: TrainingVideo[] = [];
  const labels: number[] = [];
  const classCounts = new Array<number>(ACTIVITIES.length).fill(0);
  for (let index = 0; index < count; index++) {
    const label = index % 2 === 0 ? LEFT : RIGHT;
    const radius = between(DISC_RADIUS);
    const speed = between(DISC_SPEED);
    const travel = speed * (options.frames - 1);
    const room = Math.max(0, options.imageSize - 2 * (radius + 1) - travel); // slack for the start, a pixel clear of each border
    const leftmost = radius + 1 + room * uniform(); // the disc's leftmost centre over the clip
    const y = radius + randomIndex(uniform, Math.max(1, Math.floor(options.imageSize - 2 * radius))) + 0.5;
    const direction = label === RIGHT ? 1 : -1;
    const startX = direction > 0 ? leftmost : leftmost + travel;
    videos.push(renderDiscVideo(index, options, (frame) => ({ x: startX + direction * speed * frame, y, radius })));
    labels.push(label);
    classCounts[label]! += 1;
  }
  return { videos, examples: labels.map((label, video) => ({ video, startFrame: 0, label })), classCounts };
}

/** Renders one clip of a disc at `at(frame)` (centre and radius, pixels), with per-frame actor masks by area. */
export function renderDiscVideo(seed: number, options: MovingDiscOptions, at: (frame: number) => { x: number; y: number; radius: number }): TrainingVideo {
  const { frames, imageSize: size, patchSize } = options;
  const grid = size / patchSize;
  const pixels = new Uint8Array(frames * size * size * 3); // [F, H, W, C]
  const actorPatches = new Float32Array(frames * grid * grid); // [F, grid·grid], share of each patch covered
  for (let frame = 0; frame < frames; frame++) {
    const { x: centreX, y: centreY, radius } = at(frame);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = (x + 0.5 - centreX) ** 2 + (y + 0.5 - centreY) ** 2 < radius * radius; // pixel centre in the disc
        const colour = inside ? DISC : BACKGROUND;
        pixels.set(colour, ((frame * size + y) * size + x) * 3);
        if (inside) actorPatches[frame * grid * grid + Math.floor(y / patchSize) * grid + Math.floor(x / patchSize)]! += 1 / (patchSize * patchSize);
      }
    }
  }
  // No decoder here, so no timestamps: `seconds` is the frame index (training reads only pixels and masks).
  return { seed, pixels, frameCount: frames, imageSize: size, seconds: Float64Array.from({ length: frames }, (_, frame) => frame), actorPatches, grid };
}
