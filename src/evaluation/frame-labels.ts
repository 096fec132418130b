/**
 * Segments (seconds) → one label per frame on a fixed grid, the form frame-wise segmentation
 * metrics compare. Pure. Frame i stands for [i/fps, (i+1)/fps) and takes the label of the segment
 * holding its centre (i + 0.5)/fps, so a boundary at any time moves each frame to the side holding
 * most of it; frames no segment covers are BACKGROUND. Where segments overlap (Longview never
 * writes such), the later one in the list wins.
 */
import { LongviewError } from '../shared/errors.js';

export const BACKGROUND = 'background';

export interface LabeledSpan {
  label: string;
  startSeconds: number;
  endSeconds: number;
}

/** Frames on the grid: round(durationSeconds · fps), so a 180 s video at 30 fps has 5400. */
export function frameCount(durationSeconds: number, fps: number): number {
  checkGrid(durationSeconds, fps);
  return Math.round(durationSeconds * fps);
}

export function frameLabels(segments: readonly LabeledSpan[], fps: number, durationSeconds: number): string[] {
  const labels = new Array<string>(frameCount(durationSeconds, fps)).fill(BACKGROUND);
  for (const segment of segments) {
    // Frames whose centre lies in [start, end): i ≥ start·fps − 0.5 and i < end·fps − 0.5.
    const first = Math.max(0, Math.ceil(segment.startSeconds * fps - 0.5));
    const end = Math.min(labels.length, Math.ceil(segment.endSeconds * fps - 0.5));
    labels.fill(segment.label, first, Math.max(first, end));
  }
  return labels;
}

function checkGrid(durationSeconds: number, fps: number): void {
  if (!Number.isFinite(fps) || fps <= 0) throw new LongviewError('usage', 'bad-frame-rate', `The evaluation frame rate must be a positive number of frames per second, not ${fps}.`);
  if (!Number.isFinite(durationSeconds) || durationSeconds < 0) {
    throw new LongviewError('usage', 'bad-duration', `The evaluated duration must be a non-negative number of seconds, not ${durationSeconds}.`);
  }
}
