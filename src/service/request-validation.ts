/**
 * Every request payload of the API (src/shared/api.ts), checked field by field before a host or
 * the engine acts on it: types, finite numbers in range, text lengths and no extra keys. The
 * renderer is untrusted code (it shows names from files and checkpoints), so nothing it sends is
 * used unchecked. Returns the payload typed, or throws a UsageError naming the field.
 */
import type { EditedSegment, RequestName, RequestOf, SavedEdits, Settings } from '../shared/api.js';
import type { SegmentationParams } from '../shared/analysis.js';
import { UsageError } from '../shared/errors.js';
import { validateSegmentation } from '../analysis/segments.js';
import { empty, finite, flag, integer, list, nullable, oneOf, record, text, type Check } from './value-checks.js';

/** Longest path accepted (Linux PATH_MAX). */
export const MAXIMUM_PATH_LENGTH = 4096;
/** Ids the service hands out (videoId, jobId, analysisId) are far shorter; this only bounds hostile ones. */
const MAXIMUM_ID_LENGTH = 128;
/** Seconds: a video longer than 115 days is not one we will meet. */
const MAXIMUM_SECONDS = 1e7;
/** Segments in one edit list: a 3-hour video with a segment every second is ~11,000. */
export const MAXIMUM_SEGMENTS = 100_000;
/** Class names are short; Kinetics' longest is under 50 characters. */
const MAXIMUM_LABEL_LENGTH = 1000;
/** Thumbnails per call (see api.ts). */
export const MAXIMUM_THUMBNAILS = 64;
/** Thumbnail height, pixels. */
const THUMBNAIL_HEIGHT = { min: 8, max: 1080 };

const path = text({ minLength: 1, maxLength: MAXIMUM_PATH_LENGTH });
const identifier = text({ minLength: 1, maxLength: MAXIMUM_ID_LENGTH });
const seconds = finite({ min: 0, max: MAXIMUM_SECONDS });
const probability = finite({ min: 0, max: 1 });
const isoTime = text({ minLength: 1, maxLength: 64 });

const segmentationShape = record({
  scores: oneOf(['mean-softmax', 'sum-logits'] as const),
  smoothingSeconds: finite({ min: 0, max: 3600 }),
  enterThreshold: probability,
  exitThreshold: probability,
  minDurationSeconds: finite({ min: 0, max: 3600 }),
  mergeGapSeconds: finite({ min: 0, max: 3600 }),
});

/** Shape first, then the rules between fields (exit ≤ enter) that segments.ts owns. */
export const checkSegmentation: Check<SegmentationParams> = (value, where) => {
  const shaped = segmentationShape(value, where);
  try {
    return validateSegmentation(shaped);
  } catch (error) {
    throw new UsageError(`${where}: ${(error as Error).message}`);
  }
};

export const checkSettings: Check<Settings> = record({
  segmentation: checkSegmentation,
  heatmap: record({ visible: flag, opacity: probability }),
  model: nullable(text({ maxLength: MAXIMUM_PATH_LENGTH })),
  backend: oneOf(['auto', 'tensorflow', 'wasm', 'cpu'] as const),
});

const editedSegmentShape = record({
  id: text({ minLength: 1, maxLength: MAXIMUM_ID_LENGTH }),
  startSeconds: seconds,
  endSeconds: seconds,
  label: text({ maxLength: MAXIMUM_LABEL_LENGTH }),
  labelIndex: integer({ min: 0, max: 1_000_000 }),
  confidence: probability,
  origin: oneOf(['model', 'edited'] as const),
});

export const checkEditedSegment: Check<EditedSegment> = (value, where) => {
  const segment = editedSegmentShape(value, where);
  if (segment.endSeconds < segment.startSeconds) throw new UsageError(`${where} ends (${segment.endSeconds} s) before it starts (${segment.startSeconds} s).`);
  return segment;
};

export const checkSavedEdits: Check<SavedEdits> = record({
  version: oneOf([1] as const),
  analysisKey: text({ maxLength: MAXIMUM_PATH_LENGTH }),
  segments: list(checkEditedSegment, MAXIMUM_SEGMENTS),
  savedAt: isoTime,
});

const analysisTarget = {
  videoId: identifier,
  model: text({ maxLength: MAXIMUM_PATH_LENGTH }),
};
const samplingOverrides = {
  windowFrames: integer({ min: 1, max: 4096 }),
  frameStride: integer({ min: 1, max: 1000 }),
  windowStrideSeconds: finite({ min: 0.001, max: 3600 }),
};

/** One check per request name; `satisfies` makes a missing or extra name a compile error. */
const REQUEST_CHECKS = {
  getEnvironment: empty,
  openVideo: record({ path }),
  chooseVideo: empty,
  startupVideos: empty,
  recentVideos: empty,
  listModels: empty,
  startAnalysis: record({ ...analysisTarget, backend: oneOf(['auto', 'tensorflow', 'wasm', 'cpu'] as const), resume: flag }, samplingOverrides),
  cancelAnalysis: record({ jobId: identifier }),
  getAnalysis: record(analysisTarget, samplingOverrides),
  resegment: record({ analysisId: identifier, segmentation: checkSegmentation }),
  exportAnalysis: record({
    analysisId: identifier,
    format: oneOf(['json', 'csv', 'vtt', 'srt', 'eaf'] as const),
    segments: list(checkEditedSegment, MAXIMUM_SEGMENTS),
    destination: oneOf(['dialog', 'text'] as const),
  }),
  loadEdits: record({ videoId: identifier }),
  saveEdits: record({ videoId: identifier, edits: checkSavedEdits }),
  thumbnails: record({ videoId: identifier, times: list(seconds, MAXIMUM_THUMBNAILS), height: integer(THUMBNAIL_HEIGHT) }),
  getSettings: empty,
  setSettings: checkSettings,
  restartEngine: empty,
} satisfies { [K in RequestName]: Check<RequestOf<K>> };

export function validateRequest<K extends RequestName>(method: K, request: unknown): RequestOf<K> {
  return REQUEST_CHECKS[method](request, method) as RequestOf<K>;
}

/** The engine's own openVideo: the host has already granted the id for the path. */
export const checkEngineOpenVideo: Check<{ path: string; videoId: string }> = record({ path, videoId: identifier });
