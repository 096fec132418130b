/**
 * Playback arithmetic for the player and the keyboard: frame steps, J/K/L speeds, frame numbers,
 * clock text. Pure.
 */

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;
export const SPEEDS: readonly number[] = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

/** Seconds J jumps back when not playing fast. */
export const JOG_BACK_SECONDS = 5;

/** One frame in seconds at the video's average rate; 1/30 s when the rate is unknown. */
export function frameDuration(averageFrameRate: number): number {
  return averageFrameRate > 0 && Number.isFinite(averageFrameRate) ? 1 / averageFrameRate : 1 / 30;
}

/** The 0-based frame shown at `time` (a small epsilon absorbs float error at frame starts). */
export function frameNumber(time: number, averageFrameRate: number): number {
  return Math.max(0, Math.floor(time / frameDuration(averageFrameRate) + 1e-6));
}

/**
 * Where a frame step lands: on the middle of the neighbouring frame, so the browser shows that
 * frame whatever its rounding; clamped to [0, duration].
 */
export function stepFrames(time: number, frames: number, averageFrameRate: number, duration: number): number {
  const frame = frameDuration(averageFrameRate);
  const target = (frameNumber(time, averageFrameRate) + frames + 0.5) * frame;
  return clampTime(target, duration);
}

export function clampTime(time: number, duration: number): number {
  if (!Number.isFinite(time)) return 0;
  return Math.min(Math.max(0, time), Math.max(0, duration));
}

export type JogResult = { play: boolean; speed: number; seekBy: number };

/**
 * J and L: L starts playing at 1×, and each further L doubles the speed up to 4×; J halves a
 * fast speed back to 1×, and at 1× or paused jumps back five seconds (HTML video cannot play in
 * reverse smoothly, so "reverse" is a jump).
 */
export function jog(direction: 'back' | 'forward', playing: boolean, speed: number): JogResult {
  if (direction === 'forward') {
    if (!playing) return { play: true, speed: 1, seekBy: 0 };
    return { play: true, speed: Math.min(MAX_SPEED, Math.max(1, speed) * 2), seekBy: 0 };
  }
  if (playing && speed > 1) return { play: true, speed: Math.max(1, speed / 2), seekBy: 0 };
  return { play: playing, speed, seekBy: -JOG_BACK_SECONDS };
}

/** Clock text: m:ss.mmm under an hour, h:mm:ss.mmm above. Negative and non-finite read as 0. */
export function formatClock(seconds: number): string {
  const value = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const totalMilliseconds = Math.round(value * 1000);
  const milliseconds = totalMilliseconds % 1000;
  const totalSeconds = Math.floor(totalMilliseconds / 1000);
  const secondsPart = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600);
  const tail = `${String(secondsPart).padStart(2, '0')}.${String(milliseconds).padStart(3, '0')}`;
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${tail}` : `${minutes}:${tail}`;
}

/** A span in words for an ETA: "45 s", "3 min 20 s", "2 h 05 min". */
export function formatSpan(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Start of the previous or next segment from `time`: previous means strictly before (with a
 * quarter-second grace so pressing [ twice walks back instead of sticking), next strictly after.
 */
export function neighbourSegmentStart(starts: readonly number[], time: number, direction: 'previous' | 'next'): number | null {
  const sorted = [...starts].sort((a, b) => a - b);
  if (direction === 'next') return sorted.find((start) => start > time + 1e-6) ?? null;
  const before = sorted.filter((start) => start < time - 0.25);
  return before.length > 0 ? before[before.length - 1]! : null;
}
