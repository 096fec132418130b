/**
 * Which heatmap to draw at a moment of the video, and where. Pure: no DOM, so tests and the root
 * tsconfig compile it too.
 *
 * Windows overlap (a stride of half a window is the default), so a moment is usually covered by
 * two; the one whose centre is nearest sees the moment with the most context on both sides. Inside
 * it, the heatmap row is the last sampled frame at or before the moment: what the model saw then.
 */
import type { CompactHeatmap, WindowResult } from '../../../src/shared/analysis.js';

/** The fields of a window this module reads. */
export type HeatmapWindow = Pick<WindowResult, 'startSeconds' | 'endSeconds' | 'frameTimes' | 'realFrames' | 'heatmap'>;

export interface HeatmapChoice<W extends HeatmapWindow = HeatmapWindow> {
  window: W;
  /** Row of `window.heatmap` to draw, 0-based. */
  frame: number;
}

/**
 * The window covering `time` (start ≤ time < end; the last window also owns its end) whose centre
 * is nearest; ties go to the earlier window. null when no window covers it.
 */
export function chooseWindow<W extends HeatmapWindow>(windows: readonly W[], time: number): W | null {
  if (!Number.isFinite(time)) return null;
  let best: W | null = null;
  let bestDistance = Infinity;
  let latestEnd = -Infinity;
  for (const window of windows) latestEnd = Math.max(latestEnd, window.endSeconds);
  for (const window of windows) {
    const covers = time >= window.startSeconds && (time < window.endSeconds || (time === window.endSeconds && window.endSeconds === latestEnd));
    if (!covers) continue;
    const distance = Math.abs((window.startSeconds + window.endSeconds) / 2 - time);
    if (distance < bestDistance) {
      best = window;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Index of the last sampled frame whose time is ≤ `time`, limited to frames that both came from
 * the video (`realFrames`) and have a heatmap row; 0 when the moment precedes the first frame.
 */
export function chooseFrame(window: HeatmapWindow, time: number): number {
  const usable = Math.min(window.frameTimes.length, window.realFrames, window.heatmap.frames);
  let chosen = 0;
  for (let i = 0; i < usable; i++) {
    if (window.frameTimes[i]! <= time) chosen = i;
    else break;
  }
  return chosen;
}

export function chooseHeatmap<W extends HeatmapWindow>(windows: readonly W[], time: number): HeatmapChoice<W> | null {
  const window = chooseWindow(windows, time);
  if (window === null || window.heatmap.frames < 1) return null;
  return { window, frame: chooseFrame(window, time) };
}

/** The bytes of one frame of a heatmap: height × width, row-major. A view, not a copy. */
export function heatmapFrameBytes(heatmap: CompactHeatmap, frame: number): Uint8Array {
  const size = heatmap.height * heatmap.width;
  if (!Number.isInteger(frame) || frame < 0 || frame >= heatmap.frames || heatmap.data.length < (frame + 1) * size) {
    return new Uint8Array(0);
  }
  return heatmap.data.subarray(frame * size, (frame + 1) * size);
}

export interface Size {
  width: number;
  height: number;
}

/** A rectangle in CSS pixels, relative to the element that shows the video. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where the picture lands inside a `<video>` element of size `box` showing a video of size
 * `video` with `object-fit: contain`: scaled to fit, centred, bars on two sides.
 */
export function letterboxRect(box: Size, video: Size): Rect {
  if (!(box.width > 0 && box.height > 0 && video.width > 0 && video.height > 0)) return { left: 0, top: 0, width: 0, height: 0 };
  // The side that touches the box is taken as is, so it carries no rounding error.
  const fitsHeight = box.width * video.height >= box.height * video.width;
  const width = fitsHeight ? (video.width * box.height) / video.height : box.width;
  const height = fitsHeight ? box.height : (video.height * box.width) / video.width;
  return { left: (box.width - width) / 2, top: (box.height - height) / 2, width, height };
}

/**
 * The part of the displayed picture the model saw: the decoder scales the short side to the input
 * size and crops the centre square (src/video/decode-arguments.ts), so the heatmap covers the
 * centred square of side min(width, height) of the letterboxed picture.
 */
export function modelCropRect(box: Size, video: Size): Rect {
  const picture = letterboxRect(box, video);
  const side = Math.min(picture.width, picture.height);
  return {
    left: picture.left + (picture.width - side) / 2,
    top: picture.top + (picture.height - side) / 2,
    width: side,
    height: side,
  };
}
