/**
 * Temporal action segmentation metrics on per-frame label sequences, as in MS-TCN (Farha & Gall
 * 2019) and Lea et al. 2017, following the reference evaluation code. Pure. All scores are
 * percentages, 0..100.
 *
 * - frame accuracy: share of frames whose labels agree (background frames included);
 * - edit score: 100 · (1 − Levenshtein(predicted, true) / max(lengths)) over the sequences of
 *   segment labels, background segments left out; two empty sequences score 100;
 * - F1@τ: predicted segments in order; each is compared with the true segment of the same label
 *   with the highest IoU (frames, [start, end)); it is a true positive when that IoU ≥ τ and that
 *   true segment is not matched yet, else a false positive; unmatched true segments are false
 *   negatives. Background segments are ignored on both sides. No segments at all scores 0.
 */
import { LongviewError } from '../shared/errors.js';
import { BACKGROUND } from './frame-labels.js';

/** A run of equal labels: frames [start, end). */
export interface FrameSegment {
  label: string;
  start: number;
  end: number;
}

export const OVERLAPS = [0.1, 0.25, 0.5] as const;

export interface SegmentationScores {
  frameAccuracy: number;
  edit: number;
  /** F1 at IoU 10 %, 25 % and 50 %. */
  f1: { at10: number; at25: number; at50: number };
  /** Segments other than background. */
  predictedSegments: number;
  trueSegments: number;
  frames: number;
}

export function evaluateSegmentation(predicted: readonly string[], truth: readonly string[], background: string = BACKGROUND): SegmentationScores {
  if (predicted.length !== truth.length) {
    throw new LongviewError('internal', 'frame-count-mismatch', `Cannot compare ${predicted.length} predicted frames with ${truth.length} true frames: both must lie on the same grid.`);
  }
  const predictedSegments = labelRuns(predicted, background);
  const trueSegments = labelRuns(truth, background);
  const [at10, at25, at50] = OVERLAPS.map((overlap) => f1Score(predictedSegments, trueSegments, overlap));
  return {
    frameAccuracy: frameAccuracy(predicted, truth),
    edit: editScore(predictedSegments, trueSegments),
    f1: { at10: at10 ?? 0, at25: at25 ?? 0, at50: at50 ?? 0 },
    predictedSegments: predictedSegments.length,
    trueSegments: trueSegments.length,
    frames: truth.length,
  };
}

/** Runs of equal labels, background runs left out. */
export function labelRuns(labels: readonly string[], background: string = BACKGROUND): FrameSegment[] {
  const runs: FrameSegment[] = [];
  let start = 0;
  for (let index = 1; index <= labels.length; index += 1) {
    if (index === labels.length || labels[index] !== labels[start]) {
      const label = labels[start] as string;
      if (label !== background) runs.push({ label, start, end: index });
      start = index;
    }
  }
  return runs;
}

/** Percentage of equal frames; 0 when there are no frames. */
export function frameAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (truth.length === 0) return 0;
  let equal = 0;
  for (let index = 0; index < truth.length; index += 1) if (predicted[index] === truth[index]) equal += 1;
  return (100 * equal) / truth.length;
}

export function editScore(predicted: readonly FrameSegment[], truth: readonly FrameSegment[]): number {
  const longest = Math.max(predicted.length, truth.length);
  if (longest === 0) return 100;
  return 100 * (1 - levenshtein(predicted.map((segment) => segment.label), truth.map((segment) => segment.label)) / longest);
}

/** Insertions, deletions and substitutions that turn one sequence into the other; two rows of the table. */
export function levenshtein(from: readonly string[], to: readonly string[]): number {
  let previous = Array.from({ length: to.length + 1 }, (_, column) => column);
  for (let row = 1; row <= from.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= to.length; column += 1) {
      const substitution = (previous[column - 1] as number) + (from[row - 1] === to[column - 1] ? 0 : 1);
      current.push(Math.min((previous[column] as number) + 1, (current[column - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[to.length] as number;
}

export function f1Score(predicted: readonly FrameSegment[], truth: readonly FrameSegment[], overlap: number): number {
  const matched = new Array<boolean>(truth.length).fill(false);
  let truePositives = 0;
  for (const segment of predicted) {
    let best = -1;
    let bestIou = 0;
    truth.forEach((candidate, index) => {
      if (candidate.label !== segment.label) return;
      const iou = intersectionOverUnion(segment, candidate);
      if (best === -1 || iou > bestIou) {
        best = index;
        bestIou = iou;
      }
    });
    if (best !== -1 && bestIou >= overlap && !matched[best]) {
      matched[best] = true;
      truePositives += 1;
    }
  }
  const falsePositives = predicted.length - truePositives;
  const falseNegatives = truth.length - truePositives;
  if (truePositives === 0) return 0;
  const precision = truePositives / (truePositives + falsePositives);
  const recall = truePositives / (truePositives + falseNegatives);
  return (100 * 2 * precision * recall) / (precision + recall);
}

export function intersectionOverUnion(left: FrameSegment, right: FrameSegment): number {
  const intersection = Math.min(left.end, right.end) - Math.max(left.start, right.start);
  const union = Math.max(left.end, right.end) - Math.min(left.start, right.start);
  return intersection > 0 && union > 0 ? intersection / union : 0;
}
