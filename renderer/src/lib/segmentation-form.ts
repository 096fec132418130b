/**
 * The post-processing form: which segmentation settings are usable as typed. Pure. The engine
 * validates again; this keeps obviously wrong values (exit above enter, negative durations) from
 * being sent on every keystroke and says what is wrong next to the field.
 */
import type { SegmentationParams } from '../../../src/shared/analysis.js';

export type SegmentationProblems = Partial<Record<keyof SegmentationParams, string>>;

export function segmentationProblems(params: SegmentationParams): SegmentationProblems {
  const problems: SegmentationProblems = {};
  const probability = (value: number): boolean => Number.isFinite(value) && value >= 0 && value <= 1;
  const seconds = (value: number): boolean => Number.isFinite(value) && value >= 0 && value <= 3600;
  if (!probability(params.enterThreshold)) problems.enterThreshold = 'a probability from 0 to 1';
  if (!probability(params.exitThreshold)) problems.exitThreshold = 'a probability from 0 to 1';
  else if (probability(params.enterThreshold) && params.exitThreshold > params.enterThreshold) problems.exitThreshold = 'at most the enter threshold';
  if (!seconds(params.minDurationSeconds)) problems.minDurationSeconds = 'seconds, from 0 to 3600';
  if (!seconds(params.smoothingSeconds)) problems.smoothingSeconds = 'seconds, from 0 to 3600';
  if (!seconds(params.mergeGapSeconds)) problems.mergeGapSeconds = 'seconds, from 0 to 3600';
  if (params.scores !== 'mean-softmax' && params.scores !== 'sum-logits') problems.scores = 'mean-softmax or sum-logits';
  return problems;
}

export function isUsable(problems: SegmentationProblems): boolean {
  return Object.keys(problems).length === 0;
}
