import { describe, expect, it } from 'vitest';
import type { RequestName } from '../../src/shared/api.js';
import { LongviewError } from '../../src/shared/errors.js';
import { DEFAULT_SEGMENTATION } from '../../src/analysis/segments.js';
import { validateRequest } from '../../src/service/request-validation.js';

const segmentation = { ...DEFAULT_SEGMENTATION };
const settings = { segmentation, heatmap: { visible: true, opacity: 0.5 }, model: null, backend: 'auto' };
const edited = { id: 's1', startSeconds: 0, endSeconds: 2, label: 'walking', labelIndex: 0, confidence: 0.8, origin: 'model' };
const analysis = { videoId: 'v', model: '', backend: 'auto', resume: true };

const accepted: [RequestName, unknown][] = [
  ['getEnvironment', {}],
  ['openVideo', { path: '/videos/a.mp4' }],
  ['startAnalysis', analysis],
  ['startAnalysis', { ...analysis, windowFrames: 8, frameStride: 3, windowStrideSeconds: 0.4 }],
  ['startAnalysis', { ...analysis, windowFrames: undefined }],
  ['getAnalysis', { videoId: 'v', model: 'facebook/timesformer-base-finetuned-k400' }],
  ['cancelAnalysis', { jobId: 'j' }],
  ['resegment', { analysisId: 'a', segmentation }],
  ['exportAnalysis', { analysisId: 'a', format: 'json', segments: [edited], destination: 'text' }],
  ['saveEdits', { videoId: 'v', edits: { version: 1, analysisKey: 'k', segments: [edited], savedAt: '2025-01-01T00:00:00.000Z' } }],
  ['thumbnails', { videoId: 'v', times: [0, 1.5, 3600], height: 90 }],
  ['setSettings', settings],
  ['setSettings', { ...settings, model: '/models/m' }],
];

const refused: [string, RequestName, unknown, RegExp][] = [
  ['a non-object', 'getEnvironment', null, /must be an object/],
  ['an array', 'getSettings', [], /must be an object/],
  ['an extra key on an empty request', 'listModels', { extra: 1 }, /unexpected field "extra"/],
  ['a missing path', 'openVideo', {}, /openVideo.path is missing/],
  ['an empty path', 'openVideo', { path: '' }, /openVideo.path must be text/],
  ['a path with NUL', 'openVideo', { path: '/a\0b' }, /without NUL/],
  ['a path too long', 'openVideo', { path: 'x'.repeat(5000) }, /openVideo.path/],
  ['a number as path', 'openVideo', { path: 42 }, /not 42/],
  ['an unknown backend', 'startAnalysis', { ...analysis, backend: 'gpu' }, /startAnalysis.backend must be one of/],
  ['resume as text', 'startAnalysis', { ...analysis, resume: 'yes' }, /true or false/],
  ['fractional window frames', 'startAnalysis', { ...analysis, windowFrames: 8.5 }, /windowFrames must be a whole number/],
  ['NaN stride seconds', 'startAnalysis', { ...analysis, windowStrideSeconds: Number.NaN }, /windowStrideSeconds/],
  ['infinite stride seconds', 'startAnalysis', { ...analysis, windowStrideSeconds: Number.POSITIVE_INFINITY }, /windowStrideSeconds/],
  ['backend in getAnalysis', 'getAnalysis', { ...analysis }, /unexpected field/],
  ['a threshold above 1', 'resegment', { analysisId: 'a', segmentation: { ...segmentation, enterThreshold: 1.5 } }, /enterThreshold/],
  ['exit above enter', 'resegment', { analysisId: 'a', segmentation: { ...segmentation, enterThreshold: 0.2, exitThreshold: 0.3 } }, /exit threshold/],
  ['an unknown score mode', 'resegment', { analysisId: 'a', segmentation: { ...segmentation, scores: 'max' } }, /scores/],
  ['an unknown format', 'exportAnalysis', { analysisId: 'a', format: 'pdf', segments: [], destination: 'text' }, /format/],
  ['a segment ending before it starts', 'exportAnalysis', { analysisId: 'a', format: 'csv', segments: [{ ...edited, startSeconds: 3, endSeconds: 1 }], destination: 'text' }, /ends .* before it starts/],
  ['a negative label index', 'exportAnalysis', { analysisId: 'a', format: 'csv', segments: [{ ...edited, labelIndex: -1 }], destination: 'text' }, /labelIndex/],
  ['a confidence above 1', 'exportAnalysis', { analysisId: 'a', format: 'csv', segments: [{ ...edited, confidence: 2 }], destination: 'text' }, /confidence/],
  ['an unknown origin', 'exportAnalysis', { analysisId: 'a', format: 'csv', segments: [{ ...edited, origin: 'user' }], destination: 'text' }, /origin/],
  ['edits of another version', 'saveEdits', { videoId: 'v', edits: { version: 2, analysisKey: 'k', segments: [], savedAt: 'now' } }, /version/],
  ['65 thumbnail times', 'thumbnails', { videoId: 'v', times: Array.from({ length: 65 }, (_, index) => index), height: 90 }, /at most 64/],
  ['a negative thumbnail time', 'thumbnails', { videoId: 'v', times: [-1], height: 90 }, /times\[0\]/],
  ['a huge thumbnail', 'thumbnails', { videoId: 'v', times: [1], height: 100000 }, /height/],
  ['an opacity above 1', 'setSettings', { ...settings, heatmap: { visible: true, opacity: 3 } }, /opacity/],
  ['a missing heatmap', 'setSettings', { segmentation, model: null, backend: 'auto' }, /heatmap is missing/],
  ['a class instance', 'getSettings', new Date(), /plain object/],
];

describe('validateRequest', () => {
  it.each(accepted)('accepts %s %j', (method, request) => {
    expect(() => validateRequest(method, request)).not.toThrow();
  });

  it.each(refused)('refuses %s', (_, method, request, message) => {
    let caught: unknown;
    try {
      validateRequest(method, request);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LongviewError);
    expect((caught as LongviewError).kind).toBe('usage');
    expect((caught as LongviewError).message).toMatch(message);
  });

  it('returns a copy without undefined optional fields', () => {
    expect(validateRequest('startAnalysis', { ...analysis, windowFrames: undefined })).toEqual(analysis);
  });
});
