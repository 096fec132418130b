/**
 * One analysis as the service keeps it in memory (by a random analysisId) so the UI can
 * re-segment and export it without the model: everything the export document needs, and the
 * windows stored so far. Plus the pure step from windows to segments and to a snapshot.
 */
import type { AnalysisSnapshot } from '../shared/api.js';
import type { SamplingParams, Segment, SegmentationParams, VideoInfo, WindowResult } from '../shared/analysis.js';
import { timelineScores } from '../analysis/scores.js';
import { segmentTimeline } from '../analysis/segments.js';
import type { ModelFacts } from './model-facts.js';

export interface AnalysisRecord {
  analysisId: string;
  videoId: string;
  video: VideoInfo;
  model: ModelFacts;
  sampling: SamplingParams;
  /** In words, e.g. "wasm (SIMD, 2 threads)"; '' until the backend is up. */
  backend: string;
  /** Index order, as stored. */
  windows: WindowResult[];
  complete: boolean;
  /** Why the windows do not cover the whole video (a short file, a cancel, a failure); null when complete. */
  partialReason: string | null;
}

/** Pure: the segments the windows give under these settings (none without windows). */
export function segmentsOf(windows: readonly WindowResult[], labels: readonly string[], segmentation: SegmentationParams, frameRate: number): Segment[] {
  if (windows.length === 0) return [];
  return segmentTimeline(timelineScores(windows, segmentation.scores), labels, segmentation, frameRate);
}

export function snapshotOf(record: AnalysisRecord, segmentation: SegmentationParams): AnalysisSnapshot {
  return {
    analysisId: record.analysisId,
    videoId: record.videoId,
    model: { id: record.model.id, license: record.model.license, labels: [...record.model.labels] },
    sampling: record.sampling,
    backend: record.backend,
    windows: record.windows,
    segmentation,
    segments: segmentsOf(record.windows, record.model.labels, segmentation, record.video.averageFrameRate),
    complete: record.complete,
    partialReason: record.partialReason,
  };
}
