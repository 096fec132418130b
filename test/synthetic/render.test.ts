/**
 * The renderer: deterministic frames, the actor's pixels inside its box, each activity doing what
 * its label says, and the actor's state carried across activity changes.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVITIES, type Activity } from '../../src/synthetic/activities.js';
import { planActivities, type PlannedActivity } from '../../src/synthetic/plan.js';
import { createScene, type ActorBox } from '../../src/synthetic/render.js';

const WIDTH = 288;
const HEIGHT = 288;
const FPS = 30;

function frame(): Uint8Array {
  return new Uint8Array(WIDTH * HEIGHT * 3);
}

function only(activity: Activity, seconds = 6): PlannedActivity[] {
  return [{ activity, startSeconds: 0, endSeconds: seconds }];
}

function boxesOf(seed: number, plan: readonly PlannedActivity[], frames: number): ActorBox[] {
  const scene = createScene(seed, WIDTH, HEIGHT, plan);
  return Array.from({ length: frames }, (_, index) => scene.boxAt(index, FPS));
}

function centre(box: ActorBox): { x: number; y: number } {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Pixels (x, y) where the frame with the actor differs from the same frame without it. */
function actorPixels(seed: number, plan: readonly PlannedActivity[], frameIndex: number): { pixels: [number, number][]; box: ActorBox } {
  const withActor = frame();
  const withoutActor = frame();
  const box = createScene(seed, WIDTH, HEIGHT, plan).renderFrame(frameIndex, FPS, withActor);
  createScene(seed, WIDTH, HEIGHT, plan, { drawActor: false }).renderFrame(frameIndex, FPS, withoutActor);
  const pixels: [number, number][] = [];
  for (let pixel = 0; pixel < WIDTH * HEIGHT; pixel += 1) {
    const at = pixel * 3;
    if (withActor[at] !== withoutActor[at] || withActor[at + 1] !== withoutActor[at + 1] || withActor[at + 2] !== withoutActor[at + 2]) {
      pixels.push([pixel % WIDTH, Math.floor(pixel / WIDTH)]);
    }
  }
  return { pixels, box };
}

function inside(box: ActorBox, x: number, y: number): boolean {
  return x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
}

describe('createScene', () => {
  it('reports the same box from boxAt as from renderFrame', () => {
    const plan = planActivities(12, 30, { minSeconds: 3, maxSeconds: 6 });
    const scene = createScene(12, WIDTH, HEIGHT, plan);
    const out = frame();
    for (let index = 0; index < 900; index += 29) expect(scene.boxAt(index, FPS)).toEqual(scene.renderFrame(index, FPS, out));
  });

  it('renders the same bytes for the same seed and frame, whatever the order', () => {
    const plan = planActivities(3, 20);
    const first = createScene(3, WIDTH, HEIGHT, plan);
    const second = createScene(3, WIDTH, HEIGHT, plan);
    const late = frame();
    const early = frame();
    first.renderFrame(200, FPS, late);
    first.renderFrame(10, FPS, early);
    const again = frame();
    expect(second.renderFrame(200, FPS, again)).toEqual(first.renderFrame(200, FPS, frame()));
    expect(again).toEqual(late);
    expect(again).not.toEqual(early);
  });

  it('renders different scenes for different seeds, and noise that changes every frame', () => {
    const plan = only('idle');
    const one = frame();
    const other = frame();
    createScene(1, WIDTH, HEIGHT, plan).renderFrame(0, FPS, one);
    createScene(2, WIDTH, HEIGHT, plan).renderFrame(0, FPS, other);
    expect(one).not.toEqual(other);
    const next = frame();
    createScene(1, WIDTH, HEIGHT, plan).renderFrame(1, FPS, next);
    const changed = one.filter((value, index) => value !== next[index]).length;
    expect(changed).toBeGreaterThan(one.length / 2);
  });

  it('refuses a buffer of the wrong size and a tiny frame', () => {
    const scene = createScene(1, WIDTH, HEIGHT, only('idle'));
    expect(() => scene.renderFrame(0, FPS, new Uint8Array(10))).toThrow(RangeError);
    expect(() => createScene(1, 8, 8, only('idle'))).toThrow(RangeError);
  });

  it.each(ACTIVITIES.filter((activity) => activity !== 'moving left' && activity !== 'moving right'))(
    'keeps every actor pixel inside the box while %s, and the box inside the frame',
    (activity) => {
      for (const seed of [1, 2, 3]) {
        for (const frameIndex of [0, 37, 90, 179]) {
          const { pixels, box } = actorPixels(seed, only(activity), frameIndex);
          for (const [x, y] of pixels) expect(inside(box, x, y)).toBe(true);
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.y).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
          expect(box.y + box.height).toBeLessThanOrEqual(HEIGHT);
          if (pixels.length > 0) {
            // The box is tight: the drawn pixels reach within a pixel of each side.
            const xs = pixels.map(([x]) => x);
            const ys = pixels.map(([, y]) => y);
            expect(Math.min(...xs) - box.x).toBeLessThanOrEqual(1);
            expect(box.x + box.width - 1 - Math.max(...xs)).toBeLessThanOrEqual(1);
            expect(Math.min(...ys) - box.y).toBeLessThanOrEqual(1);
            expect(box.y + box.height - 1 - Math.max(...ys)).toBeLessThanOrEqual(1);
          }
        }
      }
    },
  );

  it('draws a moving actor inside its box or, while it crosses a side, inside its copy one frame-width away', () => {
    for (const activity of ['moving left', 'moving right'] as const) {
      for (let frameIndex = 0; frameIndex < 180; frameIndex += 7) {
        const { pixels, box } = actorPixels(4, only(activity), frameIndex);
        expect(pixels.length).toBeGreaterThan(0);
        for (const [x, y] of pixels) {
          // Rows are never clipped, so the box's height is the actor's diameter; the copy holds what the box lacks.
          const missing = box.height - box.width + 1;
          const copy =
            (box.x === 0 && inside({ ...box, x: WIDTH - missing, width: missing }, x, y)) ||
            (box.x + box.width === WIDTH && inside({ ...box, x: 0, width: missing }, x, y));
          expect(inside(box, x, y) || copy).toBe(true);
        }
      }
    }
  });

  it.each([1, 2, 3, 4, 5])('moves left and right in the labelled direction at 40–90 px/s (seed %i)', (seed) => {
    for (const [activity, sign] of [['moving left', -1], ['moving right', 1]] as const) {
      const plan = only(activity);
      const scene = createScene(seed, WIDTH, HEIGHT, plan);
      let travelled = 0;
      let previous = centre(scene.boxAt(0, FPS)).x;
      for (let index = 1; index < 180; index += 1) {
        const box = scene.boxAt(index, FPS);
        // Skip frames clipped at a side: their box centre is not the actor's.
        if (box.x === 0 || box.x + box.width === WIDTH) continue;
        const x = centre(box).x;
        let step = x - previous;
        if (Math.abs(step) > WIDTH / 2) step -= Math.sign(step) * WIDTH;
        previous = x;
        expect(Math.sign(step) === sign || Math.abs(step) <= 1).toBe(true);
        travelled += step;
      }
      expect(Math.abs(travelled) / 6).toBeGreaterThan(25);
      expect(Math.abs(travelled) / 6).toBeLessThan(95);
    }
  });

  it.each([1, 2, 3, 4, 5])('circles 30–60 px around a centre and ends where it began (seed %i)', (seed) => {
    const boxes = boxesOf(seed, only('circling'), 181);
    const centres = boxes.map(centre);
    const middleX = (Math.max(...centres.map((point) => point.x)) + Math.min(...centres.map((point) => point.x))) / 2;
    const middleY = (Math.max(...centres.map((point) => point.y)) + Math.min(...centres.map((point) => point.y))) / 2;
    const distances = centres.map((point) => Math.hypot(point.x - middleX, point.y - middleY));
    expect(Math.min(...distances)).toBeGreaterThan(25);
    expect(Math.max(...distances)).toBeLessThan(65);
    expect(Math.hypot((centres[180]?.x ?? 0) - (centres[0]?.x ?? 0), (centres[180]?.y ?? 0) - (centres[0]?.y ?? 0))).toBeLessThan(2);
  });

  it.each([1, 2, 3, 4, 5])('grows and shrinks at a rate every 3.2 s window sees, whatever the segment length (seed %i)', (seed) => {
    for (const [activity, sign] of [['growing', 1], ['shrinking', -1]] as const) {
      const widths = boxesOf(seed, only(activity), 181).map((box) => box.width);
      const steps = widths.slice(1).map((width, index) => width - (widths[index] ?? 0));
      // 85 % of each cycle ramps in the labelled direction (whole-pixel boxes: some steps are 0), 15 % returns.
      expect(steps.filter((step) => step * sign >= 0).length / steps.length).toBeGreaterThan(0.8);
      for (let first = 0; first + 96 <= widths.length; first += 12) {
        const window = widths.slice(first, first + 96);
        expect(Math.max(...window) / Math.min(...window)).toBeGreaterThan(2);
      }
    }
  });

  it('stays put while idle and blinks on and off while blinking', () => {
    const idle = boxesOf(6, only('idle'), 180).map(centre);
    for (const point of idle) expect(Math.hypot(point.x - (idle[0]?.x ?? 0), point.y - (idle[0]?.y ?? 0))).toBeLessThanOrEqual(3);
    const shown = Array.from({ length: 30 }, (_, index) => actorPixels(6, only('blinking'), index * 6 + 1).pixels.length > 0);
    const hiddenShare = shown.filter((visible) => !visible).length / shown.length;
    expect(shown[0]).toBe(true);
    expect(hiddenShare).toBeGreaterThan(0.3);
    expect(hiddenShare).toBeLessThan(0.7);
  });

  it('carries position and size across activity changes: no jumps', () => {
    for (const seed of [7, 8, 9]) {
      const plan = planActivities(seed, 120, { minSeconds: 3, maxSeconds: 10 });
      const boxes = boxesOf(seed, plan, 120 * FPS);
      for (let index = 1; index < boxes.length; index += 1) {
        const before = boxes[index - 1] as ActorBox;
        const after = boxes[index] as ActorBox;
        const clipped = [before, after].some((box) => box.x === 0 || box.x + box.width === WIDTH);
        if (clipped) continue;
        let step = centre(after).x - centre(before).x;
        if (Math.abs(step) > WIDTH / 2) step -= Math.sign(step) * WIDTH;
        // Fastest motion: a 60 px orbit at 0.8 rev/s is 10 px per frame.
        expect(Math.hypot(step, centre(after).y - centre(before).y)).toBeLessThan(12);
        // Fastest size change: a sawtooth's return, ~48 px of width in 15 % of a 1.5 s cycle.
        expect(Math.abs(after.width - before.width)).toBeLessThanOrEqual(8);
      }
    }
  });

  it.each([
    [288, 288],
    [224, 224],
    [96, 96],
    [320, 240],
    [240, 320],
  ])('keeps the actor wholly inside a %i×%i frame except while it crosses a side moving', (width, height) => {
    for (let seed = 0; seed < 12; seed += 1) {
      const plan = planActivities(seed, 300);
      const scene = createScene(seed, width, height, plan);
      for (const segment of plan) {
        if (segment.activity === 'moving left' || segment.activity === 'moving right') continue;
        for (let index = Math.ceil(segment.startSeconds * FPS); index < segment.endSeconds * FPS; index += 5) {
          const box = scene.boxAt(index, FPS);
          expect(box.x).toBeGreaterThan(0);
          expect(box.y).toBeGreaterThan(0);
          expect(box.x + box.width).toBeLessThan(width);
          expect(box.y + box.height).toBeLessThan(height);
        }
      }
    }
  });
});
