/**
 * The synthetic scene, frame by frame: background texture with brightness drift and sensor noise,
 * the distractors, and the actor, a warm-coloured ring with a pale centre dot, doing the planned
 * activity (see actor-motion.ts). Pure: a frame depends only on the seed, the size, the plan and
 * its index, so frames can be rendered in any order and the same seed gives the same video.
 *
 * Cost: one multiply-add pass over width·height·3 bytes plus the shapes' pixels; no random draws
 * per pixel (the noise table is read at a per-frame offset).
 */
import { actorGeometry, planActorMotion, type ActorState } from './actor-motion.js';
import { createBackground, NOISE_MASK, type Background } from './background.js';
import { hsvToRgb, type Rgb } from './color.js';
import { createDistractors, type Distractor } from './distractors.js';
import type { PlannedActivity } from './plan.js';
import { createRandom } from './random.js';

/** The actor's bounding box in one frame, whole pixels, clipped to the frame. */
export interface ActorBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Scene {
  /** Writes frame `frameIndex` (at `fps`) into `out` (width·height·3 RGB bytes) and returns where the actor is. */
  renderFrame(frameIndex: number, fps: number, out: Uint8Array): ActorBox;
  /** The box renderFrame would return, without drawing: for ground truth and tests. */
  boxAt(frameIndex: number, fps: number): ActorBox;
}

export interface SceneOptions {
  /** false leaves the actor out (same background, noise and distractors): tests use it to find the actor's pixels. */
  drawActor?: boolean;
}

/** Inner radius of the ring and radius of the centre dot, as fractions of the outer radius. */
const RING_INNER = 0.55;
const DOT_RADIUS = 0.22;

export function createScene(seed: number, width: number, height: number, plan: readonly PlannedActivity[], options: SceneOptions = {}): Scene {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) {
    throw new RangeError(`a scene needs whole sizes of at least 16 pixels, not ${width}×${height}`);
  }
  const random = createRandom(seed);
  const background = createBackground(random, width, height);
  const distractors = createDistractors(random, width, height);
  const motion = planActorMotion(random, actorGeometry(width, height), plan);
  const hue = random.uniform(-40, 60);
  const ring = hsvToRgb(hue, random.uniform(0.8, 1), 1);
  const dot = hsvToRgb(hue, 0.15, 1);
  const drawActor = options.drawActor ?? true;

  return {
    renderFrame(frameIndex, fps, out) {
      if (out.length !== width * height * 3) throw new RangeError(`a ${width}×${height} frame needs ${width * height * 3} bytes, got ${out.length}`);
      const seconds = frameIndex / fps;
      const gain = background.gainAt(seconds);
      const offset = background.noiseOffset(frameIndex);
      // Stores through a clamped view round and saturate to 0..255.
      const pixels = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
      paintBackground(pixels, background, gain, offset);
      for (const distractor of distractors) paintDistractor(pixels, width, height, distractor, frameIndex, seconds, background.noise, gain, offset);
      const actor = motion.stateAt(seconds);
      if (drawActor && actor.visible) paintActor(pixels, width, height, actor, ring, dot, background.noise, gain, offset);
      return actorBox(actor, width, height);
    },
    boxAt(frameIndex, fps) {
      return actorBox(motion.stateAt(frameIndex / fps), width, height);
    },
  };
}

/** The box of the actor's canonical copy (its centre is in the frame), clipped to the frame. */
export function actorBox(actor: ActorState, width: number, height: number): ActorBox {
  // Pixel p is drawn when its centre p + 0.5 is within the radius.
  const left = Math.max(0, Math.ceil(actor.x - actor.radius - 0.5));
  const right = Math.min(width, Math.floor(actor.x + actor.radius - 0.5) + 1);
  const top = Math.max(0, Math.ceil(actor.y - actor.radius - 0.5));
  const bottom = Math.min(height, Math.floor(actor.y + actor.radius - 0.5) + 1);
  return { x: left, y: top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

function paintBackground(pixels: Uint8ClampedArray, background: Background, gain: number, offset: number): void {
  const { texture, noise } = background;
  for (let index = 0; index < pixels.length; index += 1) {
    pixels[index] = (texture[index] as number) * gain + (noise[(index + offset) & NOISE_MASK] as number);
  }
}

function paintDistractor(
  pixels: Uint8ClampedArray,
  width: number,
  height: number,
  distractor: Distractor,
  frameIndex: number,
  seconds: number,
  noise: Int8Array,
  gain: number,
  offset: number,
): void {
  const corner = distractor.cornerAt(frameIndex, seconds);
  const left = Math.max(0, Math.round(corner.x));
  const top = Math.max(0, Math.round(corner.y));
  const right = Math.min(width, left + distractor.width);
  const bottom = Math.min(height, top + distractor.height);
  const [red, green, blue] = distractor.colour;
  for (let y = top; y < bottom; y += 1) {
    for (let x = left; x < right; x += 1) {
      const index = (y * width + x) * 3;
      pixels[index] = red * gain + (noise[(index + offset) & NOISE_MASK] as number);
      pixels[index + 1] = green * gain + (noise[(index + 1 + offset) & NOISE_MASK] as number);
      pixels[index + 2] = blue * gain + (noise[(index + 2 + offset) & NOISE_MASK] as number);
    }
  }
}

/** The ring and its dot; a copy one frame-width away too while it crosses the left or right border. */
function paintActor(
  pixels: Uint8ClampedArray,
  width: number,
  height: number,
  actor: ActorState,
  ring: Rgb,
  dot: Rgb,
  noise: Int8Array,
  gain: number,
  offset: number,
): void {
  const copies = [actor.x];
  if (actor.x - actor.radius < 0) copies.push(actor.x + width);
  if (actor.x + actor.radius > width) copies.push(actor.x - width);
  const outer = actor.radius * actor.radius;
  const inner = outer * RING_INNER * RING_INNER;
  const centre = outer * DOT_RADIUS * DOT_RADIUS;
  const top = Math.max(0, Math.ceil(actor.y - actor.radius - 0.5));
  const bottom = Math.min(height, Math.floor(actor.y + actor.radius - 0.5) + 1);
  for (const copyX of copies) {
    const left = Math.max(0, Math.ceil(copyX - actor.radius - 0.5));
    const right = Math.min(width, Math.floor(copyX + actor.radius - 0.5) + 1);
    for (let y = top; y < bottom; y += 1) {
      const dy = y + 0.5 - actor.y;
      for (let x = left; x < right; x += 1) {
        const dx = x + 0.5 - copyX;
        const distance = dx * dx + dy * dy;
        const colour = distance > outer ? undefined : distance >= inner ? ring : distance <= centre ? dot : undefined;
        if (colour === undefined) continue;
        const index = (y * width + x) * 3;
        pixels[index] = colour[0] * gain + (noise[(index + offset) & NOISE_MASK] as number);
        pixels[index + 1] = colour[1] * gain + (noise[(index + 1 + offset) & NOISE_MASK] as number);
        pixels[index + 2] = colour[2] * gain + (noise[(index + 2 + offset) & NOISE_MASK] as number);
      }
    }
  }
}
