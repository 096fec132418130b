/**
 * The whole pipeline in-process: generated videos of every kind analyzed with the fixture models,
 * resuming, reuse of stored windows, and partial files. (The worker runs the built dist/ code;
 * `npm test` builds first.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisEvent } from '../../src/shared/analysis-events.js';
import { LongviewError } from '../../src/shared/errors.js';
import { analyzeVideo, type AnalyzeRequest } from '../../src/analysis/analyze.js';
import { buildAnalysisResult } from '../../src/analysis/result.js';
import { DEFAULT_SEGMENTATION } from '../../src/analysis/segments.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { writeRandomCheckpoint } from '../helpers/random-checkpoint.js';
import { truncatedCopy } from '../video/make-hostile-files.js';
import { makeVideo, runFfmpeg, type VideoSpec } from '../video/make-videos.js';
import { temporaryFolder } from '../video/test-files.js';

const TINY = new URL('../fixtures/timesformer/divided-tiny', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(new URL('../../resources/schemas/longview-analysis.v1.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ strict: true }).compile(schema);

let folder: { path: string; remove: () => void };
beforeAll(() => {
  folder = temporaryFolder('longview-analyze-');
});
afterAll(() => folder.remove());

/** 8-frame windows of every 3rd frame at 30 fps (10 sampled frames a second), one every 0.4 s. */
function request(videoPath: string, overrides: Partial<AnalyzeRequest> = {}): AnalyzeRequest {
  return { videoPath, modelPath: TINY, windowFrames: 8, frameStride: 3, windowStrideSeconds: 0.4, cacheDirectory: join(folder.path, 'cache'), resume: true, ...overrides };
}

async function collect(analysis: AnalyzeRequest, signal?: AbortSignal) {
  const events: AnalysisEvent[] = [];
  const run = await analyzeVideo(analysis, { ...(signal === undefined ? {} : { signal }), onEvent: (event) => events.push(event) });
  return { run, events };
}

describe('analyzeVideo on generated videos', () => {
  const base = { seconds: 3, fps: 30, width: 96, height: 64 } as const;
  const videos: VideoSpec[] = [
    { ...base, name: 'h264-audio', codec: 'h264', container: 'mp4', audio: true },
    { ...base, name: 'vp9', codec: 'vp9', container: 'webm' },
    { ...base, name: 'matroska', codec: 'h264', container: 'mkv', audio: true },
    { ...base, name: 'odd-size', codec: 'h264', container: 'mp4', width: 97, height: 61 },
    { ...base, name: 'rotated', codec: 'h264', container: 'mp4', rotate: 90 },
    { ...base, name: 'variable-rate', codec: 'h264', container: 'mkv', variableFrameRate: true },
    { ...base, name: 'mpeg4-avi', codec: 'mpeg4', container: 'avi', fps: 25 },
  ];

  it.each(videos)('$name', async (spec) => {
    const path = await makeVideo(folder.path, spec);
    const { run, events } = await collect(request(path, { cacheDirectory: join(folder.path, `cache-${spec.name}`) }));
    // 3 s at 10 sampled frames a second = 30 frames; 8-frame windows every 4 frames: 6 full + a padded tail.
    expect(run.windows.map((window) => [window.index, window.startFrame, window.padded])).toEqual([
      [0, 0, false], [1, 4, false], [2, 8, false], [3, 12, false], [4, 16, false], [5, 20, false], [6, 24, true],
    ]);
    expect(run.windows[6]!.realFrames).toBe(6);
    expect(run.partialReason).toBeNull();
    // Frame times are the decoder's: on the 10 fps sampling grid, within half a sampled frame.
    for (const window of run.windows) {
      window.frameTimes.forEach((seconds, slot) => expect(Math.abs(seconds - (window.startFrame + slot) / 10)).toBeLessThanOrEqual(0.05));
      expect(window.logits).toHaveLength(5);
      expect(window.heatmap).toMatchObject({ frames: window.realFrames, height: 4, width: 4, data: expect.any(Uint8Array) });
      expect(Math.max(...window.heatmap.data)).toBe(255);
    }
    expect(run.windows.at(-1)!.endSeconds).toBeCloseTo(3, 6);
    expect(run.analyzedSeconds).toBeCloseTo(3, 6);
    expect(run.computedNow).toBe(7);
    expect(events.filter((event) => event.type === 'window')).toHaveLength(7);
    expect(events.map((event) => event.type).filter((type) => type !== 'window' && type !== 'layer')).toEqual(['probed', 'model', 'plan', 'loaded', 'decoded', 'finished']);

    const result = buildAnalysisResult(run, { ...DEFAULT_SEGMENTATION, enterThreshold: 0.2, exitThreshold: 0.1 });
    expect(validate(result.document), JSON.stringify(validate.errors)).toBe(true);
    expect(result.document.analysis.complete).toBe(true);
    expect(result.segments.length).toBeGreaterThan(0);
    expect(result.segments[0]!.startSeconds).toBeCloseTo(0, 6);
    expect(result.segments.at(-1)!.endSeconds).toBeCloseTo(3, 6);
    if (spec.rotate === 90) expect([run.video.width, run.video.height]).toEqual([64, 96]);
  });
});

describe('resuming and reusing the store', () => {
  let video: string;
  beforeAll(async () => {
    video = await makeVideo(folder.path, { name: 'resume', seconds: 4, fps: 30, width: 96, height: 64, codec: 'h264', container: 'mp4' });
  });

  it('a cancelled run resumes where it stopped and ends equal to an uninterrupted one', async () => {
    const reference = await collect(request(video, { cacheDirectory: join(folder.path, 'cache-reference') }));
    const cacheDirectory = join(folder.path, 'cache-cancelled');
    const controller = new AbortController();
    const cancelled = analyzeVideo(request(video, { cacheDirectory }), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'window' && event.windowsDone === 3) controller.abort();
      },
    });
    await expect(cancelled).rejects.toMatchObject({ kind: 'usage', reason: 'cancelled' });

    const resumed = await collect(request(video, { cacheDirectory }));
    const plan = resumed.events.find((event) => event.type === 'plan');
    expect(plan).toMatchObject({ windowsStored: expect.any(Number) });
    const stored = (plan as { windowsStored: number }).windowsStored;
    // At most the window in flight is lost; nothing computed twice beyond it.
    expect(stored).toBeGreaterThanOrEqual(3);
    expect(resumed.run.computedNow).toBe(reference.run.windows.length - stored);
    expect(resumed.run.windows).toEqual(reference.run.windows);
  });

  it('a finished analysis re-segments without loading the model, and only model-facing changes recompute', async () => {
    const cacheDirectory = join(folder.path, 'cache-reuse');
    const first = await collect(request(video, { cacheDirectory }));
    expect(first.run.computedNow).toBe(first.run.windows.length);
    const again = await collect(request(video, { cacheDirectory }));
    expect(again.run.computedNow).toBe(0);
    expect(again.events.some((event) => event.type === 'loaded')).toBe(false);
    expect(again.run.windows).toEqual(first.run.windows);
    expect(again.run.backend).toBe(first.run.backend);
    const strict = buildAnalysisResult(again.run, { ...DEFAULT_SEGMENTATION, enterThreshold: 0.99, exitThreshold: 0.9 });
    expect(strict.segments).toEqual([]);

    const otherStride = await collect(request(video, { cacheDirectory, frameStride: 2 }));
    expect(otherStride.run.computedNow).toBe(otherStride.run.windows.length);
    const fresh = await collect(request(video, { cacheDirectory, resume: false }));
    expect(fresh.run.computedNow).toBe(first.run.windows.length);
    expect(fresh.run.windows).toEqual(first.run.windows);
  });

  it('a released checkpoint is sampled with its catalog preset unless flags say otherwise', async () => {
    const snapshot = join(folder.path, 'hub', 'models--facebook--timesformer-base-finetuned-ssv2', 'snapshots', 'abc');
    mkdirSync(snapshot, { recursive: true });
    // The SSv2 base model's shape in miniature: 8 frames, 174 classes.
    const id2label = Object.fromEntries(Array.from({ length: 174 }, (_, index) => [index, `LABEL_${index}`]));
    writeRandomCheckpoint(snapshot, { ...DEFAULT_CONFIG, num_frames: 8, image_size: 32, patch_size: 16, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, id2label });
    const preset = await collect(request(video, { modelPath: snapshot, windowFrames: undefined, frameStride: undefined, windowStrideSeconds: undefined, cacheDirectory: join(folder.path, 'cache-ssv2') }));
    // SSv2's 8-frame preset takes 1 frame in 15 (Kinetics' 8-frame models take 1 in 32).
    expect(preset.run.sampling).toMatchObject({ windowFrames: 8, frameStride: 15, windowStrideFrames: 4 });
    expect(preset.run.model.id).toBe('facebook/timesformer-base-finetuned-ssv2');
    const overridden = await collect(request(video, { modelPath: snapshot, windowFrames: undefined, frameStride: 3, cacheDirectory: join(folder.path, 'cache-ssv2') }));
    expect(overridden.run.sampling.frameStride).toBe(3);
  });

  it('96-frame windows on an 8-frame checkpoint (the engine interpolates time embeddings)', async () => {
    const { run } = await collect(request(video, { windowFrames: 96, frameStride: 1, windowStrideSeconds: undefined, cacheDirectory: join(folder.path, 'cache-96') }));
    // 4 s at 30 fps = 120 frames: window 0 is full, window 1 (from frame 48) is padded.
    expect(run.windows.map((window) => [window.startFrame, window.realFrames, window.padded])).toEqual([[0, 96, false], [48, 72, true]]);
    expect(run.sampling).toMatchObject({ windowFrames: 96, frameStride: 1, windowStrideFrames: 48 });
  });
});

describe('partial and bad videos', () => {
  it('a truncated webm is analyzed up to where it decodes and marked partial', async () => {
    const whole = await makeVideo(folder.path, { name: 'truncate-me', seconds: 6, fps: 30, width: 96, height: 64, codec: 'vp9', container: 'webm', keyframeSeconds: 1 });
    const truncated = truncatedCopy(whole, join(folder.path, 'truncated.webm'), 0.5);
    const { run } = await collect(request(truncated));
    expect(run.partialReason).toMatch(/ends early|decoded/);
    expect(run.analyzedSeconds).toBeGreaterThan(0.5);
    expect(run.analyzedSeconds).toBeLessThan(5.5);
    const result = buildAnalysisResult(run, DEFAULT_SEGMENTATION);
    expect(result.document.analysis).toMatchObject({ complete: false, partialReason: run.partialReason });
  });

  it('an audio track that outlasts the picture is not a truncation', async () => {
    const path = join(folder.path, 'long-audio.mp4');
    await runFfmpeg(['-y', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=30:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=5', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', path]);
    const { run } = await collect(request(path));
    expect(run.video.durationSeconds).toBeGreaterThan(4.5);
    expect(run.video.videoDurationSeconds).toBeCloseTo(2, 1);
    expect(run.partialReason).toBeNull();
    expect(run.analyzedSeconds).toBeCloseTo(2, 6);
  });

  it('a text file named .mp4 is an input error, before any model work', async () => {
    const fake = join(folder.path, 'notes.mp4');
    writeFileSync(fake, 'this is not a video\n'.repeat(100));
    const error = await analyzeVideo(request(fake)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LongviewError);
    expect(error).toMatchObject({ kind: 'input' });
  });

  it('a broken model is a model error', async () => {
    const video = await makeVideo(folder.path, { name: 'for-broken-model', seconds: 1, fps: 30, width: 64, height: 48, codec: 'h264', container: 'mp4' });
    const model = join(folder.path, 'broken.safetensors');
    writeFileSync(model, Buffer.from('garbage that is not a checkpoint'));
    await expect(analyzeVideo(request(video, { modelPath: model }))).rejects.toMatchObject({ kind: 'model' });
  });
});
