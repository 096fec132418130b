/**
 * The user's edited segments → export segments. Pure. The editor keeps only times, label and
 * confidence; an export also wants frame numbers (segments.ts `segmentFrames`, as for model segments) and the runner-up classes, which come from the stored window scores
 * over the segment's own span, so a moved boundary or a relabel gets alternatives that fit it.
 */
import type { EditedSegment } from '../shared/api.js';
import type { Segment, SegmentationParams, WindowResult } from '../shared/analysis.js';
import { UsageError } from '../shared/errors.js';
import { timelineScores, type ScoreTimeline } from '../analysis/scores.js';
import { alternativeLabels, segmentFrames } from '../analysis/segments.js';

export function exportSegments(
  edited: readonly EditedSegment[],
  windows: readonly WindowResult[],
  labels: readonly string[],
  scores: SegmentationParams['scores'],
  frameRate: number,
): Segment[] {
  const timeline = windows.length === 0 ? undefined : timelineScores(windows, scores);
  const sorted = [...edited].sort((left, right) => left.startSeconds - right.startSeconds || left.endSeconds - right.endSeconds);
  return sorted.map((segment) => {
    const label = labels[segment.labelIndex];
    if (label === undefined) {
      throw new UsageError(`Segment ${JSON.stringify(segment.id.slice(0, 40))} has label index ${segment.labelIndex}, but the model has ${labels.length} labels.`);
    }
    if (segment.label !== label) {
      throw new UsageError(`Segment ${JSON.stringify(segment.id.slice(0, 40))} is labelled ${JSON.stringify(segment.label.slice(0, 60))}, but label ${segment.labelIndex} of the model is ${JSON.stringify(label.slice(0, 60))}.`);
    }
    const mean = timeline === undefined ? undefined : spanScores(timeline, segment.startSeconds, segment.endSeconds);
    return {
      startSeconds: segment.startSeconds,
      endSeconds: segment.endSeconds,
      ...segmentFrames(segment.startSeconds, segment.endSeconds, frameRate),
      label,
      labelIndex: segment.labelIndex,
      confidence: segment.confidence,
      alternatives: mean === undefined ? [] : alternativeLabels(mean, labels, segment.labelIndex),
    };
  });
}

/**
 * Mean score row over [start, end), each interval weighted by how much of it lies inside; an
 * instant (start = end) takes the interval that contains it. undefined when no window covers the span.
 */
export function spanScores(timeline: ScoreTimeline, start: number, end: number): Float64Array | undefined {
  const mean = new Float64Array(timeline.classes);
  let weightTotal = 0;
  for (let interval = 0; interval < timeline.starts.length; interval += 1) {
    const from = timeline.starts[interval]!;
    const to = timeline.ends[interval]!;
    const weight = end > start ? Math.min(to, end) - Math.max(from, start) : start >= from && start < to ? 1 : 0;
    if (weight <= 0) continue;
    const offset = interval * timeline.classes;
    for (let index = 0; index < timeline.classes; index += 1) mean[index] = mean[index]! + weight * timeline.scores[offset + index]!;
    weightTotal += weight;
  }
  if (weightTotal === 0) return undefined;
  for (let index = 0; index < timeline.classes; index += 1) mean[index] = mean[index]! / weightTotal;
  return mean;
}
