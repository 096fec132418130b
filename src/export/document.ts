/**
 * Everything known at the end of an analysis → the exported ResultDocument. Pure: the caller
 * passes the clock reading too, so two runs with the same inputs build equal documents. Numbers
 * are copied as they are (no rounding or formatting), so JSON.stringify → JSON.parse gives back
 * exactly the values the engine computed; a non-finite number, which JSON would silently turn
 * into null, is refused instead.
 */
import { topClasses } from '../analysis/scores.js';
import { softmax } from '../analysis/softmax.js';
import type { Normalization, SamplingParams, Segment, SegmentationParams, VideoInfo, WindowResult } from '../shared/analysis.js';
import { LongviewError } from '../shared/errors.js';
import { RESULT_FORMAT, RESULT_VERSION, type ResultDocument } from '../shared/result-document.js';

/** Classes listed per window: enough to see what competed, small enough for a 3-hour document. */
const WINDOW_TOP_CLASSES = 5;

export interface ResultDocumentInput {
  appVersion: string;
  /** When the document is written. */
  createdAt: Date;
  video: Pick<VideoInfo, 'path' | 'sizeBytes' | 'durationSeconds' | 'averageFrameRate' | 'width' | 'height' | 'rotation' | 'variableFrameRate'>;
  model: ResultDocument['model'];
  sampling: SamplingParams;
  normalization: Normalization;
  /** Backend that computed the windows, in words, e.g. "wasm (SIMD, 2 threads)". */
  backend: string;
  segmentation: SegmentationParams;
  /** Did the decoder deliver the whole video, and if not, why not (in words). */
  completion: { complete: boolean; partialReason: string | null };
  segments: readonly Segment[];
  /** In the order they should appear; their logits become each window's top classes. */
  windows: readonly Pick<WindowResult, 'index' | 'startSeconds' | 'endSeconds' | 'padded' | 'logits'>[];
}

export function buildResultDocument(input: ResultDocumentInput): ResultDocument {
  const { video, model, sampling, normalization, segmentation, completion } = input;
  const document: ResultDocument = {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    createdAt: input.createdAt.toISOString(),
    app: { name: 'longview', version: input.appVersion },
    video: {
      path: video.path,
      sizeBytes: video.sizeBytes,
      durationSeconds: video.durationSeconds,
      averageFrameRate: video.averageFrameRate,
      width: video.width,
      height: video.height,
      rotation: video.rotation,
      variableFrameRate: video.variableFrameRate,
    },
    model: {
      id: model.id,
      path: model.path,
      checksum: model.checksum,
      license: model.license,
      attentionType: model.attentionType,
      labels: [...model.labels],
    },
    analysis: {
      sampling: {
        samplingFps: sampling.samplingFps,
        frameStride: sampling.frameStride,
        windowFrames: sampling.windowFrames,
        windowStrideFrames: sampling.windowStrideFrames,
        imageSize: sampling.imageSize,
      },
      normalization: {
        rescale: normalization.rescale,
        mean: [...normalization.mean],
        std: [...normalization.std],
      },
      backend: input.backend,
      segmentation: {
        scores: segmentation.scores,
        smoothingSeconds: segmentation.smoothingSeconds,
        enterThreshold: segmentation.enterThreshold,
        exitThreshold: segmentation.exitThreshold,
        minDurationSeconds: segmentation.minDurationSeconds,
        mergeGapSeconds: segmentation.mergeGapSeconds,
      },
      complete: completion.complete,
      partialReason: completion.complete ? null : completion.partialReason,
      analyzedSeconds: coveredSeconds(input.windows),
    },
    segments: input.segments.map((segment) => ({
      startSeconds: segment.startSeconds,
      endSeconds: segment.endSeconds,
      startFrame: segment.startFrame,
      endFrame: segment.endFrame,
      label: segment.label,
      labelIndex: segment.labelIndex,
      confidence: segment.confidence,
      alternatives: segment.alternatives.map(({ label, index, score }) => ({ label, index, score })),
    })),
    windows: input.windows.map((window) => ({
      index: window.index,
      startSeconds: window.startSeconds,
      endSeconds: window.endSeconds,
      padded: window.padded,
      top: topClasses(softmax(window.logits), model.labels, WINDOW_TOP_CLASSES),
    })),
  };
  refuseNonFiniteNumbers(document, 'document');
  return document;
}

/** Seconds of the union of the windows' spans: overlaps count once, gaps not at all. */
function coveredSeconds(windows: readonly { startSeconds: number; endSeconds: number }[]): number {
  const spans = windows.map((window) => [window.startSeconds, window.endSeconds] as const).sort((left, right) => left[0] - right[0]);
  let total = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const [start, end] of spans) {
    const from = Math.max(start, reached);
    if (end > from) total += end - from;
    reached = Math.max(reached, end);
  }
  return total;
}

/** Throws an internal error naming the first NaN or infinity, which JSON cannot carry. */
function refuseNonFiniteNumbers(value: unknown, where: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new LongviewError('internal', 'non-finite-number', `The analysis result has ${value} at ${where}, which JSON cannot store; this is a bug in Longview, please report it.`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, position) => refuseNonFiniteNumbers(item, `${where}[${position}]`));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) refuseNonFiniteNumbers(item, `${where}.${key}`);
  }
}
