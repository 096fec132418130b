/** Result documents for the export tests, built the way the engine builds them (buildResultDocument). */
import { buildResultDocument, type ResultDocumentInput } from '../../src/export/document.js';
import type { Segment } from '../../src/shared/analysis.js';
import type { ResultDocument } from '../../src/shared/result-document.js';

/** Labels that try to break out of every format: markup, formulas, CSV quoting, line breaks, XML-forbidden characters. */
export const HOSTILE_LABELS = [
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil.example","click")',
  '+1+cmd|\' /C calc\'!A0',
  '-2+3',
  '@SUM(A1:A9)',
  'comma, "quote" and\nnewline',
  'blank line\n\n99\n00:00:00,000 --> 00:00:01,000\ninjected cue',
  '--> arrow',
  '{\\an8}{\\c&H0000FF&}moved',
  'ampersand & <b>bold</b> & \'single\'',
  'controls \u0000\u0007\u001b\u000b\u000c end',
  'carriage\rreturn\ttab',
  'bidi \u202eesrever',
  'lone \ud800 surrogate and \ufffe nonchar',
  '',
  ']]> cdata end',
];

export const PLAIN_LABELS = ['archery', 'bowling', 'cooking', 'dancing', 'eating ice cream', 'riding a bike'];

export function segment(startSeconds: number, endSeconds: number, labelIndex: number, labels: readonly string[], confidence = 0.5): Segment {
  const others = labels.map((_, index) => index).filter((index) => index !== labelIndex).slice(0, 3);
  return {
    startSeconds,
    endSeconds,
    startFrame: Math.floor(startSeconds * 30 + 1e-9),
    endFrame: Math.ceil(endSeconds * 30 - 1e-9),
    label: labels[labelIndex]!,
    labelIndex,
    confidence,
    alternatives: others.map((index, rank) => ({ label: labels[index]!, index, score: confidence / (rank + 2) })),
  };
}

export function documentInput(labels: readonly string[], segments: readonly Segment[]): ResultDocumentInput {
  return {
    appVersion: '0.1.0',
    createdAt: new Date(Date.UTC(2025, 2, 1, 12, 30, 45, 123)),
    video: {
      path: '/videos/holiday clips/day #1 – é.mp4',
      sizeBytes: 123_456_789,
      durationSeconds: 3725.5,
      averageFrameRate: 29.97,
      width: 1920,
      height: 1080,
      rotation: 0,
      variableFrameRate: false,
    },
    model: {
      id: 'facebook/timesformer-base-finetuned-k400',
      path: '/models/timesformer',
      checksum: 'a'.repeat(64),
      license: 'cc-by-nc-4.0',
      attentionType: 'divided_space_time',
      labels: [...labels],
    },
    sampling: { samplingFps: 30, frameStride: 4, windowFrames: 8, windowStrideFrames: 4, imageSize: 224 },
    normalization: { rescale: 1 / 255, mean: [0.45, 0.45, 0.45], std: [0.225, 0.225, 0.225] },
    backend: 'wasm (SIMD, 2 threads)',
    segmentation: { scores: 'mean-softmax', smoothingSeconds: 0, enterThreshold: 0.3, exitThreshold: 0.2, minDurationSeconds: 2, mergeGapSeconds: 1 },
    completion: { complete: true, partialReason: null },
    segments,
    windows: [
      { index: 0, startSeconds: 0, endSeconds: 12.8, padded: false, logits: labels.map((_, index) => index * 0.5) },
      { index: 1, startSeconds: 6.4, endSeconds: 19.2, padded: false, logits: labels.map((_, index) => -index) },
      { index: 2, startSeconds: 25.6, endSeconds: 30.1, padded: true, logits: labels.map(() => 0) },
    ],
  };
}

/** Segments that exercise rounding (sub-millisecond times), adjacency and times past an hour. */
export function sampleDocument(labels: readonly string[] = PLAIN_LABELS): ResultDocument {
  const segments = labels.map((_, index) => segment(index * 7.2 + 0.0004, index * 7.2 + 6.9996, index, labels, 0.3 + index / (labels.length * 2)));
  segments.push(segment(3600.1, 3725.4999, 0, labels, 1 / 3));
  return buildResultDocument(documentInput(labels, segments));
}
