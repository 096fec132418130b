/**
 * Which class a training clip is, from the generator's plan: the activity covering at least
 * `minCoverage` of the clip's time span, else none (a clip across a change is skipped, not
 * guessed). And what a horizontal flip does to a class: moving left becomes moving right.
 * Pure.
 */
import { ACTIVITIES } from '../synthetic/activities.js';
import type { PlannedActivity } from '../synthetic/plan.js';

/** Share of a clip one activity must cover for the clip to be an example of it. */
export const DEFAULT_MIN_COVERAGE = 0.75;

/** Class index (ACTIVITIES order) of the clip [startSeconds, endSeconds), or undefined when no activity covers enough of it. */
export function clipLabel(plan: readonly PlannedActivity[], startSeconds: number, endSeconds: number, minCoverage = DEFAULT_MIN_COVERAGE): number | undefined {
  const span = endSeconds - startSeconds;
  if (!(span > 0)) return undefined;
  const covered = new Map<number, number>();
  for (const segment of plan) {
    const overlap = Math.min(endSeconds, segment.endSeconds) - Math.max(startSeconds, segment.startSeconds);
    if (overlap <= 0) continue;
    const index = ACTIVITIES.indexOf(segment.activity);
    covered.set(index, (covered.get(index) ?? 0) + overlap);
  }
  for (const [index, seconds] of covered) if (seconds >= minCoverage * span - 1e-9) return index;
  return undefined;
}

const LEFT = ACTIVITIES.indexOf('moving left');
const RIGHT = ACTIVITIES.indexOf('moving right');

/** The class of a clip after a horizontal flip: left and right swap, every other activity is symmetric. */
export function flippedLabel(label: number): number {
  if (label === LEFT) return RIGHT;
  if (label === RIGHT) return LEFT;
  return label;
}

const GROWING = ACTIVITIES.indexOf('growing');
const SHRINKING = ACTIVITIES.indexOf('shrinking');

/**
 * The class of a clip played backwards: moving left becomes moving right, and the growing sawtooth
 * (slow rise, quick return) becomes the shrinking one (slow fall, quick return); idle, circling (the
 * other way round) and blinking stay what they are. Training on both directions makes the model
 * read the order of frames, which is all that tells these pairs apart.
 */
export function reversedLabel(label: number): number {
  const mirrored = flippedLabel(label); // left and right swap under reversal as under a flip
  if (mirrored === GROWING) return SHRINKING;
  if (mirrored === SHRINKING) return GROWING;
  return mirrored;
}
