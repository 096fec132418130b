/**
 * An analysis with the user's edits → the text of an export file, its suggested name, MIME type and
 * the model's license (shown beside the save button). The document is the same one `longview
 * analyze --out` writes, so every format and the JSON schema apply unchanged.
 */
import { basename, extname } from 'node:path';
import type { EditedSegment, ExportFormatName } from '../shared/api.js';
import type { SegmentationParams } from '../shared/analysis.js';
import { APP_VERSION } from '../shared/version.js';
import { buildResultDocument } from '../export/document.js';
import { serialize } from '../export/formats.js';
import type { AnalysisRecord } from './analysis-record.js';
import { exportSegments } from './export-segments.js';

export interface ExportText {
  fileName: string;
  mimeType: string;
  text: string;
  license: string;
}

const MIME_TYPES: Readonly<Record<ExportFormatName, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  eaf: 'application/xml; charset=utf-8',
};

export function exportAnalysisText(record: AnalysisRecord, format: ExportFormatName, edited: readonly EditedSegment[], segmentation: SegmentationParams, createdAt: Date = new Date()): ExportText {
  const { model, video } = record;
  const segments = exportSegments(edited, record.windows, model.labels, segmentation.scores, video.averageFrameRate);
  const document = buildResultDocument({
    appVersion: APP_VERSION,
    createdAt,
    video,
    model: { id: model.id, path: model.path, checksum: model.checksum, license: model.license, attentionType: model.attentionType, labels: model.labels },
    sampling: record.sampling,
    normalization: model.normalization,
    backend: record.backend === '' ? 'none' : record.backend,
    segmentation,
    completion: { complete: record.complete, partialReason: record.partialReason },
    segments,
    windows: record.windows,
  });
  return { fileName: exportFileName(video.path, format), mimeType: MIME_TYPES[format], text: serialize(document, format), license: model.license };
}

/** "match.mp4" → "match.longview.json": beside the video, never mistaken for it. */
export function exportFileName(videoPath: string, format: ExportFormatName): string {
  const name = basename(videoPath);
  const stem = name.slice(0, name.length - extname(name).length) || 'video';
  return `${stem}.longview.${format}`;
}
