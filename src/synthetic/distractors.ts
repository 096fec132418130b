/**
 * The scene's distractors: 2–4 squares and bars in cool or grey colours (the actor is a warm ring)
 * that drift slowly (2–8 px/s, bouncing off the borders) or jitter by ±2 px around a fixed spot.
 * They never perform an activity, so a model must look at the actor, not at whatever moves.
 */
import { hsvToRgb, type Rgb } from './color.js';
import { mix32, type Random } from './random.js';

export interface Distractor {
  /** Size, pixels. */
  width: number;
  height: number;
  colour: Rgb;
  /** Top-left corner at a frame, pixels, always inside the frame. */
  cornerAt(frameIndex: number, seconds: number): { x: number; y: number };
}

export function createDistractors(random: Random, frameWidth: number, frameHeight: number): Distractor[] {
  const unit = Math.min(frameWidth, frameHeight) / 288;
  const count = random.int(2, 4);
  return Array.from({ length: count }, () => {
    const [width, height] = distractorSize(random, unit);
    const colour = random.next() < 0.3 ? grey(random) : hsvToRgb(random.uniform(160, 260), random.uniform(0.25, 0.6), random.uniform(0.45, 0.85));
    const roomX = Math.max(0, frameWidth - width);
    const roomY = Math.max(0, frameHeight - height);
    const startX = random.uniform(0, roomX);
    const startY = random.uniform(0, roomY);
    if (random.next() < 0.5) {
      const speed = random.uniform(2, 8) * unit;
      const heading = random.uniform(0, 2 * Math.PI);
      return {
        width,
        height,
        colour,
        cornerAt: (_frameIndex: number, seconds: number) => ({
          x: bounce(startX + speed * Math.cos(heading) * seconds, roomX),
          y: bounce(startY + speed * Math.sin(heading) * seconds, roomY),
        }),
      };
    }
    const jitterSeed = random.int(0, 0x7fffffff);
    const jitter = 2 * unit;
    const centreX = Math.min(Math.max(startX, jitter), roomX - jitter);
    const centreY = Math.min(Math.max(startY, jitter), roomY - jitter);
    return {
      width,
      height,
      colour,
      cornerAt: (frameIndex: number) => {
        const hash = mix32(jitterSeed ^ Math.imul(frameIndex + 1, 0x27d4eb2f));
        return { x: centreX + jitter * ((hash & 0xffff) / 0x8000 - 1), y: centreY + jitter * ((hash >>> 16) / 0x8000 - 1) };
      },
    };
  });
}

/** A square of 14–30 px or a bar of 6–10 × 40–80 px, either way up. */
function distractorSize(random: Random, unit: number): [number, number] {
  if (random.next() < 0.5) {
    const side = Math.round(random.uniform(14, 30) * unit);
    return [side, side];
  }
  const thin = Math.round(random.uniform(6, 10) * unit);
  const long = Math.round(random.uniform(40, 80) * unit);
  return random.next() < 0.5 ? [thin, long] : [long, thin];
}

function grey(random: Random): Rgb {
  const level = random.uniform(90, 200);
  return [level, level, level];
}

/** Position on a segment [0, room] reflected at both ends (a triangle wave); 0 when there is no room. */
export function bounce(position: number, room: number): number {
  if (room <= 0) return 0;
  const folded = ((position % (2 * room)) + 2 * room) % (2 * room);
  return folded <= room ? folded : 2 * room - folded;
}
