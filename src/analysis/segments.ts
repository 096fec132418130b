/**
 * Score timeline → labelled segments, the last pure step before export. The order is fixed:
 * smooth over time, label intervals with hysteresis, absorb too-short runs, merge same-label runs
 * across short gaps, then describe each run (times, frames, confidence, alternatives). Also owns
 * the default segmentation settings and their validation, since only this step gives them meaning.
 */
import type { ScoredLabel, Segment, SegmentationParams } from '../shared/analysis.js';
import { UsageError } from '../shared/errors.js';
import { hysteresisLabels } from './hysteresis.js';
import { absorbShortRuns, labelRuns, mergeNearbyRuns, type LabelRun } from './label-runs.js';
import { labelName, meanScores, topClasses, type ScoreTimeline } from './scores.js';
import { smoothTimeline } from './smoothing.js';

/**
 * Defaults, and why:
 * - scores 'mean-softmax': averaging probabilities lets no single overconfident window dominate an
 *   interval; 'sum-logits' (the official test protocol) is there for comparing with published numbers.
 * - smoothingSeconds 0: windows already overlap (TimeSformer-L: 12.8 s windows every 6.4 s), so
 *   each interval is an average of two or more windows; more smoothing would only blur boundaries.
 * - enterThreshold 0.3 / exitThreshold 0.2: Kinetics has 400 classes, so uniform is 0.0025 and
 *   a real activity on an everyday video often scores 0.3–0.6 rather than near 1; 0.3 is a
 *   clear winner, and holding down to 0.2 keeps a class through a moment of doubt.
 * - minDurationSeconds 2: shorter than any window, so a flicker created only by where boundaries
 *   happen to fall disappears, while everything a window actually saw stays.
 * - mergeGapSeconds 1: a gap under a second between two runs of one activity is noise, not a pause.
 */
export const DEFAULT_SEGMENTATION: Readonly<SegmentationParams> = Object.freeze({
  scores: 'mean-softmax',
  smoothingSeconds: 0,
  enterThreshold: 0.3,
  exitThreshold: 0.2,
  minDurationSeconds: 2,
  mergeGapSeconds: 1,
});

/** Used when the video's frame rate is 0 or unknown: the commonest rate, so frame numbers stay plausible. */
const FALLBACK_FRAME_RATE = 30;

/** Slack when turning seconds into frame indices, so 2.0 s × 30 fps never reads as frame 59.999…. */
const FRAME_TOLERANCE = 1e-9;

/** How many runner-up classes a segment reports. */
const ALTERNATIVES = 3;

/**
 * A checked copy of segmentation settings that may come from flags or a file. Throws a UsageError
 * naming the setting for a non-number or NaN, a negative duration, a threshold outside 0..1, an
 * exit threshold above the enter threshold, or an unknown score mode.
 */
export function validateSegmentation(params: SegmentationParams): SegmentationParams {
  const { scores } = params;
  if (scores !== 'mean-softmax' && scores !== 'sum-logits') {
    throw new UsageError(`The segmentation score mode must be "mean-softmax" or "sum-logits", not ${describeSetting(scores)}.`);
  }
  for (const name of ['smoothingSeconds', 'minDurationSeconds', 'mergeGapSeconds'] as const) {
    const value: unknown = params[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new UsageError(`The segmentation setting ${name} must be a number of seconds, 0 or more, not ${describeSetting(value)}.`);
    }
  }
  for (const name of ['enterThreshold', 'exitThreshold'] as const) {
    const value: unknown = params[name];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new UsageError(`The segmentation setting ${name} must be a probability between 0 and 1, not ${describeSetting(value)}.`);
    }
  }
  if (params.exitThreshold > params.enterThreshold) {
    throw new UsageError(`The exit threshold (${params.exitThreshold}) is above the enter threshold (${params.enterThreshold}); choose an exit threshold at or below the enter threshold.`);
  }
  return {
    scores,
    smoothingSeconds: params.smoothingSeconds,
    enterThreshold: params.enterThreshold,
    exitThreshold: params.exitThreshold,
    minDurationSeconds: params.minDurationSeconds,
    mergeGapSeconds: params.mergeGapSeconds,
  };
}

/**
 * The segments of a timeline, in time order and never overlapping. `labels` names the classes
 * (missing names read "class N"); `frameRate` (frames per second, the video's average) numbers
 * the frames, with FALLBACK_FRAME_RATE when it is 0 or not a number. Confidence and alternatives
 * are means of the smoothed scores, the same scores the labels were chosen by.
 */
export function segmentTimeline(timeline: ScoreTimeline, labels: readonly string[], params: SegmentationParams, frameRate: number): Segment[] {
  const settings = validateSegmentation(params);
  if (timeline.classes === 0 || timeline.starts.length === 0) return [];
  const smoothed = smoothTimeline(timeline, settings.smoothingSeconds);
  const labelled = hysteresisLabels(smoothed, settings.enterThreshold, settings.exitThreshold);
  const runs = mergeNearbyRuns(absorbShortRuns(labelRuns(smoothed, labelled), smoothed, settings.minDurationSeconds), settings.mergeGapSeconds);
  return runs.map((run) => describeRun(smoothed, run, labels, frameRate));
}

/**
 * Frame indices of [startSeconds, endSeconds) at the video's average rate (FALLBACK_FRAME_RATE
 * when it is 0 or not a number): the first frame inside and the first frame after, never before
 * the start. Every segment Longview writes, from the model or edited by hand, is numbered here.
 */
export function segmentFrames(startSeconds: number, endSeconds: number, frameRate: number): { startFrame: number; endFrame: number } {
  const rate = Number.isFinite(frameRate) && frameRate > 0 ? frameRate : FALLBACK_FRAME_RATE;
  const startFrame = Math.floor(startSeconds * rate + FRAME_TOLERANCE);
  return { startFrame, endFrame: Math.max(startFrame, Math.ceil(endSeconds * rate - FRAME_TOLERANCE)) };
}

/** The runner-up classes of a mean score row: the best ALTERNATIVES other than `labelIndex`. */
export function alternativeLabels(mean: ArrayLike<number>, labels: readonly string[], labelIndex: number): ScoredLabel[] {
  return topClasses(mean, labels, ALTERNATIVES + 1)
    .filter((candidate) => candidate.index !== labelIndex)
    .slice(0, ALTERNATIVES);
}

/** A run as a Segment: scores are duration-weighted means over every interval the run spans. */
function describeRun(timeline: ScoreTimeline, run: LabelRun, labels: readonly string[], frameRate: number): Segment {
  const mean = meanScores(timeline, run.first, run.last);
  return {
    startSeconds: run.startSeconds,
    endSeconds: run.endSeconds,
    ...segmentFrames(run.startSeconds, run.endSeconds, frameRate),
    label: labelName(labels, run.label),
    labelIndex: run.label,
    confidence: mean[run.label]!,
    alternatives: alternativeLabels(mean, labels, run.label),
  };
}

/** A setting's value for an error message: numbers as written, anything else by its type only. */
function describeSetting(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the text "${value.slice(0, 40)}"`;
  return value === null ? 'null' : `a value of type ${typeof value}`;
}
