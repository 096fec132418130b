/**
 * A prediction and a ground truth (both read Longview documents) → the segmentation scores, on
 * the truth's frame grid: its video duration (or its last segment's end when it claims none) at
 * the given rate, by default the truth's own frame rate. Pure.
 */
import { frameLabels, type LabeledSpan } from './frame-labels.js';
import { evaluateSegmentation, type SegmentationScores } from './metrics.js';
import type { ResultForEvaluation } from './result-file.js';

/** Grid rate when neither the caller nor the truth gives one. */
export const FALLBACK_FPS = 30;

export interface EvaluationReport extends SegmentationScores {
  result: string;
  groundTruth: string;
  fps: number;
  durationSeconds: number;
}

export function evaluateFiles(result: ResultForEvaluation, truth: ResultForEvaluation, fps?: number): EvaluationReport {
  const gridFps = fps ?? (truth.averageFrameRate > 0 ? truth.averageFrameRate : FALLBACK_FPS);
  const durationSeconds = truth.durationSeconds > 0 ? truth.durationSeconds : lastEnd(truth.segments);
  const scores = evaluateSegmentation(frameLabels(result.segments, gridFps, durationSeconds), frameLabels(truth.segments, gridFps, durationSeconds));
  return { result: result.path, groundTruth: truth.path, fps: gridFps, durationSeconds, ...scores };
}

function lastEnd(segments: readonly LabeledSpan[]): number {
  return segments.reduce((end, segment) => Math.max(end, segment.endSeconds), 0);
}
