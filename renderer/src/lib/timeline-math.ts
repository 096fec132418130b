/**
 * The timeline's coordinate system, pure: which time sits under which pixel, how zoom and pan
 * move that mapping, and where the ruler's ticks go. Pixels are CSS pixels measured from the
 * canvas's left edge; times are seconds on the video's clock.
 */

/** What the timeline shows: the time at the left edge and how many seconds one CSS pixel spans. */
export interface TimelineView {
  startSeconds: number;
  secondsPerPixel: number;
}

export interface TimeRange {
  startSeconds: number;
  endSeconds: number;
}

/** The ruler's grid unit: ticks fall on multiples of 1/30 s, labels count frames at 30 fps. */
const TICKS_PER_SECOND = 30;

/** Nice tick steps in 1/30 s units: 1, 2, 5, 10, 15 frames; 1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1 h. */
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 150, 300, 450, 900, 1800, 3600, 9000, 18000, 27000, 54000, 108000];

/** The closest zoom: one frame spans this many pixels. */
const PIXELS_PER_FRAME_AT_MOST = 8;

export function timeToX(view: TimelineView, seconds: number): number {
  return (seconds - view.startSeconds) / view.secondsPerPixel;
}

export function xToTime(view: TimelineView, x: number): number {
  return view.startSeconds + x * view.secondsPerPixel;
}

export function visibleRange(view: TimelineView, width: number): TimeRange {
  return { startSeconds: view.startSeconds, endSeconds: view.startSeconds + Math.max(0, width) * view.secondsPerPixel };
}

/**
 * The zoom's bounds in seconds per pixel: at most the whole video across the width, at least one
 * frame (`frameSeconds`) per 8 pixels. A zero duration or width still gives finite, positive bounds.
 */
export function zoomLimits(duration: number, width: number, frameSeconds = 1 / TICKS_PER_SECOND): { least: number; most: number } {
  const least = (frameSeconds > 0 && Number.isFinite(frameSeconds) ? frameSeconds : 1 / TICKS_PER_SECOND) / PIXELS_PER_FRAME_AT_MOST;
  const whole = duration > 0 && width > 0 && Number.isFinite(duration) ? duration / width : least;
  return { least, most: Math.max(least, whole) };
}

/** The whole video across the width. */
export function fitView(duration: number, width: number, frameSeconds?: number): TimelineView {
  return { startSeconds: 0, secondsPerPixel: zoomLimits(duration, width, frameSeconds).most };
}

/** Keeps the view inside the video: the left edge in [0, duration − visible span], or 0 when it all fits. */
export function clampView(view: TimelineView, duration: number, width: number, frameSeconds?: number): TimelineView {
  const { least, most } = zoomLimits(duration, width, frameSeconds);
  const secondsPerPixel = Number.isFinite(view.secondsPerPixel) ? Math.min(most, Math.max(least, view.secondsPerPixel)) : most;
  const latestStart = Math.max(0, duration - Math.max(0, width) * secondsPerPixel);
  const start = Number.isFinite(view.startSeconds) ? view.startSeconds : 0;
  const startSeconds = Math.min(latestStart, Math.max(0, start));
  if (startSeconds === view.startSeconds && secondsPerPixel === view.secondsPerPixel) return view;
  return { startSeconds, secondsPerPixel };
}

/**
 * Zooms by `factor` (2 = twice as close, 0.5 = twice as far) keeping the time under `anchorX`
 * where it is, as far as the limits and the video's ends allow.
 */
export function zoomAround(view: TimelineView, anchorX: number, factor: number, duration: number, width: number, frameSeconds?: number): TimelineView {
  if (!(factor > 0) || !Number.isFinite(factor)) return clampView(view, duration, width, frameSeconds);
  const { least, most } = zoomLimits(duration, width, frameSeconds);
  const anchorTime = xToTime(view, anchorX);
  const secondsPerPixel = Math.min(most, Math.max(least, view.secondsPerPixel / factor));
  return clampView({ startSeconds: anchorTime - anchorX * secondsPerPixel, secondsPerPixel }, duration, width, frameSeconds);
}

/** Moves the view by `dx` pixels (positive: later times come into view), inside [0, duration]. */
export function pan(view: TimelineView, dx: number, duration: number, width: number, frameSeconds?: number): TimelineView {
  if (!Number.isFinite(dx)) return view;
  return clampView({ startSeconds: view.startSeconds + dx * view.secondsPerPixel, secondsPerPixel: view.secondsPerPixel }, duration, width, frameSeconds);
}

/**
 * The view unchanged while `seconds` is on screen; otherwise paged so that `seconds` sits
 * `leadFraction` of the width from the left edge (a playhead running off the right edge lands
 * near the left and keeps running into view).
 */
export function ensureVisible(view: TimelineView, seconds: number, duration: number, width: number, leadFraction = 0.1): TimelineView {
  const range = visibleRange(view, width);
  if (!Number.isFinite(seconds) || (seconds >= range.startSeconds && seconds <= range.endSeconds)) return view;
  const paged = { startSeconds: seconds - width * leadFraction * view.secondsPerPixel, secondsPerPixel: view.secondsPerPixel };
  return clampView(paged, duration, width);
}

export interface RulerTick {
  seconds: number;
  x: number;
  major: boolean;
  /** Set on major ticks only. */
  label: string | null;
}

/**
 * Ticks for the visible range: major ticks at least `majorSpacing` pixels apart (with labels),
 * minor ticks between them at least `minorSpacing` apart, both on nice steps from one frame
 * (1/30 s) to one hour. Ticks are computed on an integer grid of 1/30 s, so they never drift.
 */
export function rulerTicks(view: TimelineView, width: number, majorSpacing = 90, minorSpacing = 9): RulerTick[] {
  if (!(width > 0) || !(view.secondsPerPixel > 0)) return [];
  const unitsPerPixel = view.secondsPerPixel * TICKS_PER_SECOND;
  const major = NICE_STEPS.find((step) => step / unitsPerPixel >= majorSpacing) ?? NICE_STEPS[NICE_STEPS.length - 1]!;
  const minor = NICE_STEPS.find((step) => step < major && major % step === 0 && step / unitsPerPixel >= minorSpacing) ?? major;
  const withFrames = major < TICKS_PER_SECOND;
  const range = visibleRange(view, width);
  const first = Math.ceil((range.startSeconds * TICKS_PER_SECOND) / minor);
  const last = Math.floor((range.endSeconds * TICKS_PER_SECOND) / minor);
  const ticks: RulerTick[] = [];
  for (let step = Math.max(0, first); step <= last; step += 1) {
    const units = step * minor;
    const seconds = units / TICKS_PER_SECOND;
    const isMajor = units % major === 0;
    ticks.push({ seconds, x: timeToX(view, seconds), major: isMajor, label: isMajor ? formatTimecode(seconds, withFrames) : null });
  }
  return ticks;
}

/** h:mm:ss, or h:mm:ss.ff with ff the frame at 30 fps. Negative or non-finite times read as 0. */
export function formatTimecode(seconds: number, withFrames = false): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const totalUnits = Math.round(safe * TICKS_PER_SECOND);
  const wholeSeconds = withFrames ? Math.floor(totalUnits / TICKS_PER_SECOND) : Math.floor(safe + 1e-9);
  const hours = Math.floor(wholeSeconds / 3600);
  const minutes = Math.floor((wholeSeconds % 3600) / 60);
  const secs = wholeSeconds % 60;
  const base = `${hours}:${pad2(minutes)}:${pad2(secs)}`;
  return withFrames ? `${base}.${pad2(totalUnits % TICKS_PER_SECOND)}` : base;
}

/** h:mm:ss.s for lists and tooltips: tenths of a second, not frames. */
export function formatSeconds(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const tenths = Math.round(safe * 10);
  return `${formatTimecode(Math.floor(tenths / 10))}.${tenths % 10}`;
}

/**
 * m:ss.s under an hour, h:mm:ss.s from one hour on: the shortest form that still shows tenths,
 * for narrow table columns. Negative or non-finite times read as 0.
 */
export function formatCompactSeconds(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const tenths = Math.round(safe * 10);
  const whole = Math.floor(tenths / 10);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = `${pad2(whole % 60)}.${tenths % 10}`;
  return hours > 0 ? `${hours}:${pad2(minutes)}:${rest}` : `${minutes}:${rest}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * Index of the first item whose `end(item)` is after `seconds`, in items sorted by time and not
 * overlapping in order (ends non-decreasing); `items.length` when there is none. Used to start
 * drawing at the first visible window or segment instead of scanning from the beginning.
 */
export function firstEndingAfter<T>(items: readonly T[], seconds: number, end: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (end(items[middle]!) > seconds) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Index of the last item whose `start(item)` is at or before `seconds`, or −1. Items sorted by start. */
export function lastStartingAtOrBefore<T>(items: readonly T[], seconds: number, start: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (start(items[middle]!) <= seconds) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
