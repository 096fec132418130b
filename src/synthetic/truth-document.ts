/**
 * A plan → the ground truth as a Longview JSON export document, so `longview eval` and the app read
 * truth and predictions the same way. Pure. The "model" is 'ground-truth' with the activities as
 * labels; every segment has confidence 1 and no alternatives; there are no windows. The checksum
 * (the schema wants 64 hex digits) is a SHA-256 of what determines the video: seed, size, rate
 * and plan.
 */
import { createHash } from 'node:crypto';
import { buildResultDocument } from '../export/document.js';
import type { Segment } from '../shared/analysis.js';
import type { ResultDocument } from '../shared/result-document.js';
import { APP_VERSION } from '../shared/version.js';
import { ACTIVITIES } from './activities.js';
import type { PlannedActivity } from './plan.js';

export const GROUND_TRUTH_MODEL_ID = 'ground-truth';

export interface TruthInput {
  /** Written as the document's video path. */
  videoPath: string;
  sizeBytes: number;
  seed: number;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  plan: readonly PlannedActivity[];
  createdAt: Date;
}

export function truthDocument(input: TruthInput): ResultDocument {
  const { width, height, fps, plan } = input;
  const checksum = createHash('sha256').update(JSON.stringify({ seed: input.seed, width, height, fps, frameCount: input.frameCount, plan })).digest('hex');
  return buildResultDocument({
    appVersion: APP_VERSION,
    createdAt: input.createdAt,
    video: {
      path: input.videoPath,
      sizeBytes: input.sizeBytes,
      durationSeconds: input.frameCount / fps,
      averageFrameRate: fps,
      width,
      height,
      rotation: 0,
      variableFrameRate: false,
    },
    model: { id: GROUND_TRUTH_MODEL_ID, path: GROUND_TRUTH_MODEL_ID, checksum, license: 'generated', attentionType: 'none', labels: [...ACTIVITIES] },
    sampling: { samplingFps: fps, frameStride: 1, windowFrames: 1, windowStrideFrames: 1, imageSize: Math.min(width, height) },
    normalization: { rescale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] },
    backend: 'synthetic generator',
    segmentation: { scores: 'mean-softmax', smoothingSeconds: 0, enterThreshold: 1, exitThreshold: 1, minDurationSeconds: 0, mergeGapSeconds: 0 },
    completion: { complete: true, partialReason: null },
    segments: plan.map((planned) => truthSegment(planned, fps)),
    windows: [],
  });
}

function truthSegment(planned: PlannedActivity, fps: number): Segment {
  return {
    startSeconds: planned.startSeconds,
    endSeconds: planned.endSeconds,
    startFrame: Math.round(planned.startSeconds * fps),
    endFrame: Math.round(planned.endSeconds * fps),
    label: planned.activity,
    labelIndex: ACTIVITIES.indexOf(planned.activity),
    confidence: 1,
    alternatives: [],
  };
}
