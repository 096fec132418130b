/**
 * The order in which a reviewer should check segments: the ones the model was least sure of
 * first (ties: the earlier one first), and the ones the user already edited after all the rest,
 * in the same order among themselves.
 */
import type { EditedSegment } from '../../../src/shared/api.js';

export function reviewOrder(segments: readonly EditedSegment[]): EditedSegment[] {
  return [...segments].sort(compareForReview);
}

export function compareForReview(first: EditedSegment, second: EditedSegment): number {
  const originRank = rank(first) - rank(second);
  if (originRank !== 0) return originRank;
  const confidence = orderable(first.confidence) - orderable(second.confidence);
  if (confidence !== 0) return confidence;
  return first.startSeconds - second.startSeconds;
}

function rank(segment: EditedSegment): number {
  return segment.origin === 'edited' ? 1 : 0;
}

/** A missing or broken confidence sorts as "not sure at all": it needs a look most. */
function orderable(confidence: number): number {
  return Number.isFinite(confidence) ? confidence : Number.NEGATIVE_INFINITY;
}

/** The segment list's sort keys: time (start), confidence, label name, or review order. */
export type SegmentSortKey = 'time' | 'confidence' | 'label' | 'review';

/**
 * The list in the chosen order; `descending` flips it (review order is always as reviewed).
 * Ties fall back to time, so equal labels or confidences keep a stable, predictable order.
 */
export function sortSegments(segments: readonly EditedSegment[], key: SegmentSortKey, descending = false): EditedSegment[] {
  if (key === 'review') return reviewOrder(segments);
  const direction = descending ? -1 : 1;
  const byTime = (first: EditedSegment, second: EditedSegment): number => first.startSeconds - second.startSeconds;
  const compare =
    key === 'confidence'
      ? (first: EditedSegment, second: EditedSegment) => orderable(first.confidence) - orderable(second.confidence) || byTime(first, second)
      : key === 'label'
        ? (first: EditedSegment, second: EditedSegment) => first.label.localeCompare(second.label) || byTime(first, second)
        : byTime;
  return [...segments].sort((first, second) => direction * compare(first, second));
}
