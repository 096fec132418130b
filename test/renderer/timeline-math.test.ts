import { describe, expect, it } from 'vitest';
import {
  clampView,
  ensureVisible,
  firstEndingAfter,
  fitView,
  formatCompactSeconds,
  formatSeconds,
  formatTimecode,
  lastStartingAtOrBefore,
  pan,
  rulerTicks,
  timeToX,
  visibleRange,
  xToTime,
  zoomAround,
  zoomLimits,
  type TimelineView,
} from '../../renderer/src/lib/timeline-math.js';

const view: TimelineView = { startSeconds: 10, secondsPerPixel: 0.5 };

describe('timeToX / xToTime', () => {
  it.each([
    [10, 0],
    [15, 10],
    [9, -2],
    [60, 100],
  ])('time %d ↔ x %d', (seconds, x) => {
    expect(timeToX(view, seconds)).toBeCloseTo(x, 9);
    expect(xToTime(view, x)).toBeCloseTo(seconds, 9);
  });

  it('visible range spans the width', () => {
    expect(visibleRange(view, 200)).toEqual({ startSeconds: 10, endSeconds: 110 });
    expect(visibleRange(view, -5)).toEqual({ startSeconds: 10, endSeconds: 10 });
  });
});

describe('zoom limits and fit', () => {
  it.each([
    // duration, width, frameSeconds, least, most
    [1000, 1000, 1 / 30, 1 / 240, 1],
    [10800, 1200, 1 / 25, 1 / 200, 9],
    [0.01, 1000, 1 / 30, 1 / 240, 1 / 240],
    [0, 0, 1 / 30, 1 / 240, 1 / 240],
    [100, 500, Number.NaN, 1 / 240, 0.2],
  ])('duration %d over %d px (frame %d s) → [%d, %d]', (duration, width, frameSeconds, least, most) => {
    const limits = zoomLimits(duration, width, frameSeconds);
    expect(limits.least).toBeCloseTo(least, 12);
    expect(limits.most).toBeCloseTo(most, 12);
  });

  it('fits the whole video', () => {
    expect(fitView(600, 1200)).toEqual({ startSeconds: 0, secondsPerPixel: 0.5 });
  });
});

describe('zoomAround', () => {
  const duration = 1000;
  const width = 1000;

  it.each([
    // start, spp, anchorX, factor → start, spp
    [100, 0.5, 200, 2, 150, 0.25],
    [100, 0.5, 0, 2, 100, 0.25],
    [100, 0.25, 400, 0.5, 0, 0.5], // zooming out past the start is clamped to 0
    [0, 1, 500, 0.5, 0, 1], // already whole: stays
    [500, 0.5, 1000, 0.5, 0, 1], // out to whole video
  ])('view(%d, %d) zoom at x=%d by %d → (%d, %d)', (start, spp, anchorX, factor, expectedStart, expectedSpp) => {
    const zoomed = zoomAround({ startSeconds: start, secondsPerPixel: spp }, anchorX, factor, duration, width);
    expect(zoomed.startSeconds).toBeCloseTo(expectedStart, 9);
    expect(zoomed.secondsPerPixel).toBeCloseTo(expectedSpp, 12);
  });

  it('keeps the anchored time fixed when nothing clamps', () => {
    const before: TimelineView = { startSeconds: 300, secondsPerPixel: 0.2 };
    const after = zoomAround(before, 321, 1.7, duration, width);
    expect(xToTime(after, 321)).toBeCloseTo(xToTime(before, 321), 9);
  });

  it('stops at one frame per 8 pixels', () => {
    let zoomed: TimelineView = fitView(duration, width);
    for (let step = 0; step < 40; step += 1) zoomed = zoomAround(zoomed, 500, 3, duration, width);
    expect(zoomed.secondsPerPixel).toBeCloseTo(1 / 240, 12);
    expect(timeToX(zoomed, zoomed.startSeconds + 1 / 30)).toBeCloseTo(8, 9);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('ignores factor %d', (factor) => {
    expect(zoomAround({ startSeconds: 100, secondsPerPixel: 0.5 }, 10, factor, duration, width)).toEqual({ startSeconds: 100, secondsPerPixel: 0.5 });
  });
});

describe('pan and clamp', () => {
  it.each([
    // start, dx → start (spp 0.5, duration 1000, width 1000: latest start 500)
    [100, 100, 150],
    [100, -100, 50],
    [100, -1000, 0],
    [400, 1000, 500],
    [100, Number.NaN, 100],
  ])('start %d panned by %d px → %d', (start, dx, expected) => {
    expect(pan({ startSeconds: start, secondsPerPixel: 0.5 }, dx, 1000, 1000).startSeconds).toBe(expected);
  });

  it('repairs a broken view', () => {
    expect(clampView({ startSeconds: Number.NaN, secondsPerPixel: Number.NaN }, 100, 100)).toEqual({ startSeconds: 0, secondsPerPixel: 1 });
  });
});

describe('ensureVisible', () => {
  const current: TimelineView = { startSeconds: 100, secondsPerPixel: 0.1 }; // shows 100..200 on 1000 px

  it.each([
    [150, 100],
    [100, 100],
    [200, 100],
    [205, 195], // paged: 205 sits 10 % from the left
    [50, 40],
    [2, 0],
    [3595, 3500], // clamped at the end
  ])('playhead at %d → view starts at %d', (seconds, expected) => {
    expect(ensureVisible(current, seconds, 3600, 1000).startSeconds).toBeCloseTo(expected, 9);
  });

  it('returns the same view when nothing moves (no redraw)', () => {
    expect(ensureVisible(current, 150, 3600, 1000)).toBe(current);
  });
});

describe('rulerTicks', () => {
  it('labels seconds on a 10-minute view', () => {
    const ticks = rulerTicks({ startSeconds: 0, secondsPerPixel: 0.6 }, 1000);
    const majors = ticks.filter((tick) => tick.major);
    expect(majors.map((tick) => tick.label)).toEqual(['0:00:00', '0:01:00', '0:02:00', '0:03:00', '0:04:00', '0:05:00', '0:06:00', '0:07:00', '0:08:00', '0:09:00', '0:10:00']);
    const spacing = majors[1]!.x - majors[0]!.x;
    expect(spacing).toBeGreaterThanOrEqual(90);
    const minors = ticks.filter((tick) => !tick.major);
    expect(minors.every((tick) => tick.label === null)).toBe(true);
    expect(minors[0]!.seconds).toBe(10);
  });

  it.each([
    // secondsPerPixel → major step seconds, minor step seconds
    [1 / 240, 1 / 2, 1 / 6], // closest zoom: half-second majors, 5-frame minors
    [0.001, 1 / 6, 1 / 30],
    [0.05, 5, 0.5],
    [1, 120, 10],
    [10, 900, 300],
    [100, 3600, 900],
  ])('at %d s/px the majors are %d s apart and minors %d s', (secondsPerPixel, majorStep, minorStep) => {
    const ticks = rulerTicks({ startSeconds: 0, secondsPerPixel }, 2000);
    const majors = ticks.filter((tick) => tick.major);
    expect(majors[1]!.seconds - majors[0]!.seconds).toBeCloseTo(majorStep, 9);
    expect(ticks[1]!.seconds - ticks[0]!.seconds).toBeCloseTo(minorStep, 9);
  });

  it('labels frames when the majors are less than a second apart', () => {
    const ticks = rulerTicks({ startSeconds: 61, secondsPerPixel: 0.001 }, 1000);
    expect(ticks.filter((tick) => tick.major).map((tick) => tick.label).slice(0, 4)).toEqual(['0:01:01.00', '0:01:01.05', '0:01:01.10', '0:01:01.15']);
  });

  it('starts inside the view and never before 0', () => {
    const ticks = rulerTicks({ startSeconds: 12.34, secondsPerPixel: 0.05 }, 800);
    expect(ticks[0]!.seconds).toBeGreaterThanOrEqual(12.34);
    expect(ticks.at(-1)!.seconds).toBeLessThanOrEqual(12.34 + 40);
    expect(ticks.every((tick) => tick.x >= 0 && tick.x <= 800)).toBe(true);
  });

  it.each([0, -5, Number.NaN])('is empty for width %d', (width) => {
    expect(rulerTicks({ startSeconds: 0, secondsPerPixel: 1 }, width)).toEqual([]);
  });
});

describe('time formats', () => {
  it.each([
    [0, false, '0:00:00'],
    [59.999, false, '0:00:59'],
    [3725, false, '1:02:05'],
    [61 + 5 / 30, true, '0:01:01.05'],
    [-3, false, '0:00:00'],
    [Number.NaN, true, '0:00:00.00'],
    [10799.99, true, '3:00:00.00'],
  ])('formatTimecode(%d, frames %s) = %s', (seconds, withFrames, expected) => {
    expect(formatTimecode(seconds, withFrames)).toBe(expected);
  });

  it.each([
    [0, '0:00:00.0'],
    [12.34, '0:00:12.3'],
    [3599.96, '1:00:00.0'],
  ])('formatSeconds(%d) = %s', (seconds, expected) => {
    expect(formatSeconds(seconds)).toBe(expected);
  });

  it.each([
    [0, '0:00.0'],
    [-2, '0:00.0'],
    [Number.POSITIVE_INFINITY, '0:00.0'],
    [12.34, '0:12.3'],
    [75.06, '1:15.1'],
    [3599.94, '59:59.9'],
    [3599.96, '1:00:00.0'],
    [10_845.5, '3:00:45.5'],
  ])('formatCompactSeconds(%d) = %s', (seconds, expected) => {
    expect(formatCompactSeconds(seconds)).toBe(expected);
  });
});

describe('binary searches', () => {
  const spans = [
    { start: 0, end: 2 },
    { start: 2, end: 5 },
    { start: 7, end: 9 },
  ];

  it.each([
    [-1, 0],
    [1.9, 0],
    [2, 1],
    [5, 2],
    [8.9, 2],
    [9, 3],
  ])('first ending after %d is #%d', (seconds, expected) => {
    expect(firstEndingAfter(spans, seconds, (span) => span.end)).toBe(expected);
  });

  it.each([
    [-1, -1],
    [0, 0],
    [6, 1],
    [7, 2],
    [100, 2],
  ])('last starting at or before %d is #%d', (seconds, expected) => {
    expect(lastStartingAtOrBefore(spans, seconds, (span) => span.start)).toBe(expected);
  });
});
