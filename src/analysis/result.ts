/**
 * From stored windows to what users read: per-time scores, segments, and the export document.
 * Pure and cheap (tens of milliseconds for a 3-hour video), so changing a segmentation knob
 * re-segments from the store without running the model.
 */
import type { Segment, SegmentationParams } from '../shared/analysis.js';
import type { ResultDocument } from '../shared/result-document.js';
import { APP_VERSION } from '../shared/version.js';
import { buildResultDocument } from '../export/document.js';
import type { AnalysisRun } from './analyze.js';
import { timelineScores, type ScoreTimeline } from './scores.js';
import { segmentTimeline } from './segments.js';

export interface AnalysisResult {
  timeline: ScoreTimeline;
  segments: Segment[];
  document: ResultDocument;
}

export function buildAnalysisResult(run: AnalysisRun, segmentation: SegmentationParams, createdAt: Date = new Date()): AnalysisResult {
  const timeline = timelineScores(run.windows, segmentation.scores);
  const { description } = run.model;
  const segments = segmentTimeline(timeline, description.labels, segmentation, run.video.averageFrameRate);
  const document = buildResultDocument({
    appVersion: APP_VERSION,
    createdAt,
    video: run.video,
    model: {
      id: run.model.id,
      path: description.path,
      checksum: run.model.checksum,
      license: description.license,
      attentionType: description.config.attention_type,
      labels: description.labels,
    },
    sampling: run.sampling,
    normalization: run.normalization,
    backend: run.backend,
    segmentation,
    completion: { complete: run.partialReason === null, partialReason: run.partialReason },
    segments,
    windows: run.windows,
  });
  return { timeline, segments, document };
}
