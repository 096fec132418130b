/**
 * Which activity the actor performs when: a seeded, contiguous plan from 0 to the video's end.
 * Pure.
 *
 * Rules (tested over many seeds): segments tile [0, totalSeconds] with no gap; every duration lies
 * in [minSeconds, maxSeconds] (a video shorter than minSeconds is one segment); no two neighbours
 * share an activity; and activities are drawn least-used first, so every activity appears once
 * before any appears twice, which keeps a training set balanced and a 3-minute sample complete.
 * Durations are whole milliseconds, so the ground truth reads cleanly.
 */
import { LongviewError } from '../shared/errors.js';
import { ACTIVITIES, type Activity } from './activities.js';
import { createRandom, type Random } from './random.js';

export interface PlannedActivity {
  activity: Activity;
  startSeconds: number;
  endSeconds: number;
}

export interface PlanOptions {
  /** Shortest segment, seconds; default 3. */
  minSeconds?: number;
  /** Longest segment, seconds; default 40; at least twice minSeconds, so the end can always be split. */
  maxSeconds?: number;
}

export const DEFAULT_MIN_SECONDS = 3;
export const DEFAULT_MAX_SECONDS = 40;

export function planActivities(seed: number, totalSeconds: number, options: PlanOptions = {}): PlannedActivity[] {
  const minSeconds = options.minSeconds ?? DEFAULT_MIN_SECONDS;
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_SECONDS;
  checkPlanArguments(seed, totalSeconds, minSeconds, maxSeconds);

  const random = createRandom(seed);
  const totalMs = Math.floor(totalSeconds * 1000);
  const minMs = Math.ceil(minSeconds * 1000);
  const maxMs = Math.floor(maxSeconds * 1000);
  const uses = new Map<Activity, number>(ACTIVITIES.map((activity) => [activity, 0]));
  const plan: PlannedActivity[] = [];
  let startMs = 0;
  let previous: Activity | undefined;
  while (startMs < totalMs) {
    const durationMs = nextDurationMs(random, totalMs - startMs, minMs, maxMs);
    const activity = leastUsedActivity(random, uses, previous);
    uses.set(activity, (uses.get(activity) ?? 0) + 1);
    const endMs = startMs + durationMs;
    plan.push({ activity, startSeconds: startMs / 1000, endSeconds: endMs >= totalMs ? totalSeconds : endMs / 1000 });
    previous = activity;
    startMs = endMs;
  }
  return plan;
}

/**
 * A duration drawn from [min, max] that never leaves a remainder shorter than min: when it would,
 * the segment takes all that is left (if that fits under max) or leaves exactly min for the last
 * one (remaining > max ≥ 2·min makes that at least min, and below max).
 */
export function nextDurationMs(random: Random, remainingMs: number, minMs: number, maxMs: number): number {
  if (remainingMs <= minMs) return remainingMs;
  const drawn = random.int(minMs, maxMs);
  if (remainingMs - drawn >= minMs) return drawn;
  return remainingMs <= maxMs ? remainingMs : remainingMs - minMs;
}

/** Among the activities other than the previous one, a random one of those used least so far. */
function leastUsedActivity(random: Random, uses: ReadonlyMap<Activity, number>, previous: Activity | undefined): Activity {
  const candidates = ACTIVITIES.filter((activity) => activity !== previous);
  const fewest = Math.min(...candidates.map((activity) => uses.get(activity) ?? 0));
  return random.pick(candidates.filter((activity) => (uses.get(activity) ?? 0) === fewest));
}

function checkPlanArguments(seed: number, totalSeconds: number, minSeconds: number, maxSeconds: number): void {
  if (!Number.isFinite(seed)) throw planError(`the seed must be a finite number, not ${seed}`);
  if (!Number.isFinite(totalSeconds) || totalSeconds <= 0) throw planError(`the video must last a positive number of seconds, not ${totalSeconds}`);
  if (!Number.isFinite(minSeconds) || minSeconds < 0.001) throw planError(`the shortest activity must last at least 0.001 s, not ${minSeconds}`);
  if (!Number.isFinite(maxSeconds) || Math.floor(maxSeconds * 1000) < 2 * Math.ceil(minSeconds * 1000)) {
    throw planError(`the longest activity (${maxSeconds} s) must last at least twice the shortest (${minSeconds} s), so the plan can always end on a full segment`);
  }
}

function planError(message: string): LongviewError {
  return new LongviewError('usage', 'bad-plan', `Cannot plan the synthetic activities: ${message}.`);
}
