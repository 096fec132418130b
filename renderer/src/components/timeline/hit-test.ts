/**
 * What the pointer is on, pure: which segment covers a time and which segment edge is close
 * enough to grab. Segments are sorted by start and do not overlap, so both are binary searches.
 */
import { lastStartingAtOrBefore, timeToX, xToTime, type TimelineView } from '../../lib/timeline-math.js';

export interface Span {
  id: string;
  startSeconds: number;
  endSeconds: number;
}

export interface EdgeHit {
  id: string;
  edge: 'start' | 'end';
}

/** Index of the segment covering `seconds` ([start, end)), or −1. */
export function segmentIndexAt(segments: readonly Span[], seconds: number): number {
  const index = lastStartingAtOrBefore(segments, seconds, (segment) => segment.startSeconds);
  return index >= 0 && seconds < segments[index]!.endSeconds ? index : -1;
}

/**
 * The edge within `tolerance` pixels of `x`, nearest first. Where two segments touch, the edge
 * of the one the pointer is inside wins, so a drag from inside a bar moves that bar's edge.
 */
export function edgeNear(segments: readonly Span[], view: TimelineView, x: number, tolerance = 5): EdgeHit | null {
  const seconds = xToTime(view, x);
  const around = lastStartingAtOrBefore(segments, seconds, (segment) => segment.startSeconds);
  let best: (EdgeHit & { distance: number; inside: boolean }) | null = null;
  for (let index = Math.max(0, around - 1); index <= Math.min(segments.length - 1, around + 1); index += 1) {
    const segment = segments[index]!;
    const inside = seconds >= segment.startSeconds && seconds < segment.endSeconds;
    for (const edge of ['start', 'end'] as const) {
      const distance = Math.abs(timeToX(view, edge === 'start' ? segment.startSeconds : segment.endSeconds) - x);
      if (distance > tolerance) continue;
      const better = best === null || distance < best.distance - 0.5 || (Math.abs(distance - best.distance) <= 0.5 && inside && !best.inside);
      if (better) best = { id: segment.id, edge, distance, inside };
    }
  }
  return best === null ? null : { id: best.id, edge: best.edge };
}
