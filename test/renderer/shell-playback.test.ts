import { describe, expect, it } from 'vitest';
import { clampTime, formatClock, formatSpan, frameNumber, jog, neighbourSegmentStart, stepFrames } from '../../renderer/src/lib/playback.js';

describe('frames', () => {
  it.each([
    [0, 30, 0],
    [1, 30, 30],
    [1 / 30, 30, 1], // exactly on a frame start despite float error
    [0.999, 30, 29],
    [10, 25, 250],
    [1, 0, 30], // unknown rate: 30 fps
    [-1, 30, 0],
  ])('frameNumber(%s s at %s fps) = %s', (time, fps, expected) => {
    expect(frameNumber(time, fps)).toBe(expected);
  });

  it.each([
    // time, frames, fps, duration → the middle of the target frame
    [0, 1, 30, 10, 1.5 / 30],
    [1, -1, 30, 10, 29.5 / 30],
    [0, -1, 30, 10, 0],
    [9.99, 5, 30, 10, 10],
    [2, 1, 25, 10, 51.5 / 25],
  ])('stepFrames(%s, %s, %s fps, %s s)', (time, frames, fps, duration, expected) => {
    expect(stepFrames(time, frames, fps, duration)).toBeCloseTo(expected, 9);
  });

  it('clamps times into the video', () => {
    expect(clampTime(-2, 10)).toBe(0);
    expect(clampTime(12, 10)).toBe(10);
    expect(clampTime(Number.NaN, 10)).toBe(0);
  });
});

describe('jog (J / L)', () => {
  it.each<[direction: 'back' | 'forward', playing: boolean, speed: number, expected: ReturnType<typeof jog>]>([
    ['forward', false, 1, { play: true, speed: 1, seekBy: 0 }],
    ['forward', false, 3, { play: true, speed: 1, seekBy: 0 }],
    ['forward', true, 1, { play: true, speed: 2, seekBy: 0 }],
    ['forward', true, 2, { play: true, speed: 4, seekBy: 0 }],
    ['forward', true, 4, { play: true, speed: 4, seekBy: 0 }],
    ['forward', true, 0.5, { play: true, speed: 2, seekBy: 0 }],
    ['back', true, 4, { play: true, speed: 2, seekBy: 0 }],
    ['back', true, 2, { play: true, speed: 1, seekBy: 0 }],
    ['back', true, 1, { play: true, speed: 1, seekBy: -5 }],
    ['back', false, 1, { play: false, speed: 1, seekBy: -5 }],
  ])('%s while playing=%s at %s×', (direction, playing, speed, expected) => {
    expect(jog(direction, playing, speed)).toEqual(expected);
  });
});

describe('text', () => {
  it.each([
    [0, '0:00.000'],
    [1.5, '0:01.500'],
    [61.0004, '1:01.000'],
    [3599.9996, '1:00:00.000'],
    [3723.25, '1:02:03.250'],
    [-4, '0:00.000'],
    [Number.POSITIVE_INFINITY, '0:00.000'],
  ])('formatClock(%s) = %s', (seconds, expected) => {
    expect(formatClock(seconds)).toBe(expected);
  });

  it.each([
    [12.4, '12 s'],
    [200, '3 min 20 s'],
    [7500, '2 h 05 min'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('formatSpan(%s) = %s', (seconds, expected) => {
    expect(formatSpan(seconds)).toBe(expected);
  });
});

describe('neighbourSegmentStart', () => {
  const starts = [10, 0, 5, 20];
  it.each<[number, 'previous' | 'next', number | null]>([
    [7, 'next', 10],
    [10, 'next', 20],
    [20, 'next', null],
    [7, 'previous', 5],
    [5.1, 'previous', 0], // just past a start: go to the one before
    [5.3, 'previous', 5],
    [0, 'previous', null],
  ])('from %s, %s → %s', (time, direction, expected) => {
    expect(neighbourSegmentStart(starts, time, direction)).toBe(expected);
  });
});
