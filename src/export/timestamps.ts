/**
 * Segment times as subtitle cues: whole milliseconds (what WebVTT, SRT and ELAN count in) and
 * clock text HH:MM:SS.mmm. Shared by every timed export so they all round the same way.
 */
import type { Segment } from '../shared/analysis.js';

/** A segment placed on the millisecond grid: start ≤ next start, end > start. */
export interface CueSpan {
  startMilliseconds: number;
  endMilliseconds: number;
  segment: Segment;
}

/** Seconds → whole milliseconds, rounded to nearest; negative times clamp to 0. */
export function toMilliseconds(seconds: number): number {
  return Math.max(0, Math.round(seconds * 1000));
}

/**
 * The segments in start order, in milliseconds. Rounding keeps the order (it never swaps two
 * starts); a segment shorter than half a millisecond still ends 1 ms after it starts, because
 * subtitle formats require end > start.
 */
export function cueSpans(segments: readonly Segment[]): CueSpan[] {
  return [...segments]
    .sort((left, right) => left.startSeconds - right.startSeconds)
    .map((segment) => {
      const startMilliseconds = toMilliseconds(segment.startSeconds);
      return { startMilliseconds, endMilliseconds: Math.max(toMilliseconds(segment.endSeconds), startMilliseconds + 1), segment };
    });
}

/**
 * Milliseconds → "HH:MM:SS.mmm" (SRT wants ',' before the milliseconds). Hours grow past two
 * digits rather than wrapping, as WebVTT allows.
 */
export function clockTime(milliseconds: number, fractionSeparator: '.' | ','): string {
  const whole = Math.max(0, Math.round(milliseconds));
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = Math.floor((whole % 60_000) / 1000);
  const rest = whole % 1000;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${fractionSeparator}${pad(rest, 3)}`;
}

function pad(value: number, digits: number): string {
  return String(value).padStart(digits, '0');
}
