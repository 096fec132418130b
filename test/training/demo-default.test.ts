/**
 * The demo model is the default: `longview analyze` without --model analyzes with it, and a
 * model's declared sampling (`longview_sampling` in config.json) sets the frame stride unless the
 * user gives one. (The inference worker runs from dist/: build first.)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultDocument } from '../../src/shared/result-document.js';
import { ModelError } from '../../src/shared/errors.js';
import { analyzeVideo, declaredFrameStride } from '../../src/analysis/analyze.js';
import { runCli } from '../../src/cli/run.js';
import { modelFlag } from '../../src/cli/model-flag.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { demoModelPath } from '../../src/models/demo-model.js';
import { generateVideo } from '../../src/synthetic/generate-video.js';
import { writeRandomCheckpoint } from '../helpers/random-checkpoint.js';

let folder: string;
let video: string;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'longview-demo-default-'));
  video = join(folder, 'short.mp4');
  await generateVideo({ path: video, seed: 777_002, durationSeconds: 4, createdAt: new Date(0) });
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A tiny random checkpoint folder whose config.json carries `extra`. */
function checkpointWith(name: string, extra: Record<string, unknown>): string {
  const path = join(folder, name);
  mkdirSync(path);
  const config = { ...DEFAULT_CONFIG, image_size: 16, patch_size: 8, num_frames: 4, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16 };
  writeRandomCheckpoint(path, config);
  const json = JSON.parse(readFileSync(join(path, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(path, 'config.json'), JSON.stringify({ ...json, ...extra }));
  return path;
}

describe('declaredFrameStride', () => {
  it.each([
    ['declared', { longview_sampling: { frame_stride: 5, sampling_fps: 30 } }, 5],
    ['not declared', {}, undefined],
  ])('%s', (name, extra, expected) => {
    expect(declaredFrameStride([join(checkpointWith(`stride-${name}`, extra), 'config.json')])).toBe(expected);
  });

  it.each([[0], [2.5], ['6'], [null]])('refuses frame_stride %j', (stride) => {
    const path = checkpointWith(`bad-${String(stride)}`, { longview_sampling: { frame_stride: stride } });
    expect(() => declaredFrameStride([join(path, 'config.json')])).toThrow(ModelError);
  });

  it('is undefined for a checkpoint without config.json', () => {
    expect(declaredFrameStride([join(folder, 'model.safetensors')])).toBeUndefined();
  });
});

describe('analyze honours the declared stride', () => {
  it('uses it unless --frame-stride or --window-frames says otherwise', async () => {
    const modelPath = checkpointWith('declares-5', { longview_sampling: { frame_stride: 5, sampling_fps: 30 } });
    const base = { videoPath: video, modelPath, cacheDirectory: join(folder, 'cache'), resume: true };
    expect((await analyzeVideo(base)).sampling.frameStride).toBe(5);
    expect((await analyzeVideo({ ...base, frameStride: 3 })).sampling.frameStride).toBe(3);
    // Another window length is another model input: the declared stride no longer applies.
    expect((await analyzeVideo({ ...base, windowFrames: 8 })).sampling.frameStride).not.toBe(5);
  });
});

describe('longview analyze without --model', () => {
  it('resolves to the demo model', () => {
    expect(modelFlag({}, { defaultToDemo: true })).toBe(demoModelPath());
    expect(() => modelFlag({})).toThrow(/--model is required/);
  });

  it('analyzes with the demo model at its trained sampling', async () => {
    const out = join(folder, 'result.json');
    let stderr = '';
    const code = await runCli(['analyze', video, '--out', out, '--cache-dir', join(folder, 'cache'), '--progress', 'none'], {
      stdout: { write: () => undefined },
      stderr: { write: (text) => void (stderr += text) },
    });
    expect(stderr).toMatch(/segments? →/);
    expect(code).toBe(0);
    const document = JSON.parse(readFileSync(out, 'utf8')) as ResultDocument;
    expect(document.model.path).toBe(demoModelPath());
    expect(document.model.license).toMatch(/mit/i);
    expect(document.analysis.sampling).toMatchObject({ frameStride: 6, windowFrames: 16, imageSize: 64 });
  });
});
