import { describe, expect, it } from 'vitest';
import { LongviewError } from '../../src/shared/errors.js';
import { ACTIVITIES } from '../../src/synthetic/activities.js';
import { nextDurationMs, planActivities, type PlannedActivity } from '../../src/synthetic/plan.js';
import { createRandom, type Random } from '../../src/synthetic/random.js';

function checkPlan(plan: readonly PlannedActivity[], totalSeconds: number, minSeconds: number, maxSeconds: number): void {
  expect(plan.length).toBeGreaterThan(0);
  expect(plan[0]?.startSeconds).toBe(0);
  expect(plan.at(-1)?.endSeconds).toBe(totalSeconds);
  plan.forEach((segment, index) => {
    expect(ACTIVITIES).toContain(segment.activity);
    const duration = segment.endSeconds - segment.startSeconds;
    if (totalSeconds >= minSeconds) expect(duration).toBeGreaterThanOrEqual(minSeconds - 1e-9);
    expect(duration).toBeLessThanOrEqual(maxSeconds + 1e-9);
    const next = plan[index + 1];
    if (next !== undefined) {
      expect(next.startSeconds).toBe(segment.endSeconds);
      expect(next.activity).not.toBe(segment.activity);
    }
  });
}

describe('planActivities', () => {
  it('tiles the video with valid, alternating segments for many seeds, lengths and ranges', () => {
    const lengths = createRandom(2026);
    for (let seed = 0; seed < 400; seed += 1) {
      const minSeconds = seed % 3 === 0 ? 3 : lengths.uniform(0.5, 6);
      const maxSeconds = seed % 3 === 0 ? 40 : minSeconds * lengths.uniform(2, 8);
      const totalSeconds = Math.round(lengths.uniform(0.2, 600) * 1000) / 1000;
      const plan = planActivities(seed, totalSeconds, seed % 3 === 0 ? {} : { minSeconds, maxSeconds });
      checkPlan(plan, totalSeconds, minSeconds, maxSeconds);
    }
  });

  it('uses the least-used activities first, so every activity appears before any repeats much', () => {
    for (let seed = 0; seed < 100; seed += 1) {
      const plan = planActivities(seed, 900, { minSeconds: 3, maxSeconds: 12 });
      const counts = ACTIVITIES.map((activity) => plan.filter((segment) => segment.activity === activity).length);
      expect(Math.min(...counts)).toBeGreaterThan(0);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
    }
  });

  it('is deterministic: same seed, same plan; another seed, another plan', () => {
    expect(planActivities(5, 300)).toEqual(planActivities(5, 300));
    expect(planActivities(5, 300)).not.toEqual(planActivities(6, 300));
  });

  it.each([
    ['a video shorter than the shortest activity is one segment', 2, {}, [[0, 2]]],
    ['a video exactly the shortest activity is one segment', 3, {}, [[0, 3]]],
    ['a fractional end is kept exactly', 3.5, {}, [[0, 3.5]]],
  ] as const)('%s', (_name, totalSeconds, options, spans) => {
    const plan = planActivities(1, totalSeconds, options);
    expect(plan.map((segment) => [segment.startSeconds, segment.endSeconds])).toEqual(spans);
  });

  it('keeps durations in whole milliseconds', () => {
    for (const segment of planActivities(3, 200).slice(0, -1)) {
      expect(Math.abs(segment.endSeconds * 1000 - Math.round(segment.endSeconds * 1000))).toBeLessThan(1e-6);
    }
  });

  it.each([
    ['a zero length', 1, 0, {}],
    ['a negative length', 1, -5, {}],
    ['an infinite length', 1, Number.POSITIVE_INFINITY, {}],
    ['a NaN seed', Number.NaN, 10, {}],
    ['a zero minimum', 1, 10, { minSeconds: 0 }],
    ['a maximum under twice the minimum', 1, 10, { minSeconds: 3, maxSeconds: 5 }],
  ] as const)('refuses %s with a usage error', (_name, seed, totalSeconds, options) => {
    const attempt = (): unknown => planActivities(seed, totalSeconds, options);
    expect(attempt).toThrow(LongviewError);
    expect(attempt).toThrow(/Cannot plan the synthetic activities/);
    try {
      attempt();
    } catch (error) {
      expect((error as LongviewError).kind).toBe('usage');
    }
  });
});

/** A Random whose int() returns a chosen value: nextDurationMs's clipping rules, one at a time. */
function drawing(value: number): Random {
  const random = createRandom(0);
  return { ...random, int: () => value };
}

describe('nextDurationMs', () => {
  it.each([
    // remaining, min, max, drawn → duration
    ['takes the draw when enough is left', 20_000, 3_000, 10_000, 7_000, 7_000],
    ['takes all that is left when the rest would be too short and fits', 9_000, 3_000, 10_000, 7_000, 9_000],
    ['leaves exactly the minimum when the rest would be too short and does not fit', 12_000, 3_000, 10_000, 10_000, 9_000],
    ['takes a remainder of exactly the minimum', 3_000, 3_000, 10_000, 5_000, 3_000],
    ['takes a remainder below the minimum (the whole video is short)', 1_000, 3_000, 10_000, 5_000, 1_000],
  ] as const)('%s', (_name, remaining, min, max, drawn, expected) => {
    expect(nextDurationMs(drawing(drawn), remaining, min, max)).toBe(expected);
  });
});
