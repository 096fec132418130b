/**
 * generateVideo end to end on short clips: the MP4 probes with the asked size, rate and duration,
 * decodes through decodeFrames to the frames the renderer drew, and the truth and boxes files
 * beside it are valid and match the plan.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoInfo } from '../../src/shared/analysis.js';
import { LongviewError } from '../../src/shared/errors.js';
import type { ResultDocument } from '../../src/shared/result-document.js';
import { ACTIVITIES } from '../../src/synthetic/activities.js';
import { generateVideo, type BoxesFile, type GeneratedVideo } from '../../src/synthetic/generate-video.js';
import { createScene } from '../../src/synthetic/render.js';
import { decodeFrames } from '../../src/video/decoder.js';
import { probeVideo } from '../../src/video/probe.js';
import { locateTools } from '../../src/video/tools.js';

const tools = locateTools();
const folder = mkdtempSync(join(tmpdir(), 'longview-synthetic-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const schemaPath = join(dirname(fileURLToPath(import.meta.url)), '../../resources/schemas/longview-analysis.v1.schema.json');
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

const SIDE = 96;
const FPS = 15;
const SECONDS = 4;
const plan = [
  { activity: 'moving right', startSeconds: 0, endSeconds: 1.5 },
  { activity: 'circling', startSeconds: 1.5, endSeconds: 4 },
] as const;

let generated: GeneratedVideo;
let info: VideoInfo;
beforeAll(async () => {
  generated = await generateVideo({ path: join(folder, 'clip.mp4'), seed: 21, durationSeconds: SECONDS, width: SIDE, height: SIDE, fps: FPS, plan: plan.map((segment) => ({ ...segment })) });
  info = await probeVideo(generated.path, { tools });
});

describe('generateVideo', () => {
  it('writes an MP4 of the asked size, rate and duration, and nothing else but the truth and boxes', () => {
    expect(info.width).toBe(SIDE);
    expect(info.height).toBe(SIDE);
    expect(info.averageFrameRate).toBeCloseTo(FPS, 3);
    expect(info.durationSeconds).toBeCloseTo(SECONDS, 1);
    expect(info.videoCodec).toBe('h264');
    expect(info.audioCodec).toBeNull();
    expect(readdirSync(folder).sort()).toEqual(['clip.boxes.json', 'clip.mp4', 'clip.truth.json']);
  });

  it('decodes through decodeFrames to the frames the renderer drew, in order', async () => {
    const scene = createScene(21, SIDE, SIDE, generated.plan);
    const expected = new Uint8Array(SIDE * SIDE * 3);
    const stream = decodeFrames(generated.path, info, { tools, samplingFps: FPS, frameStride: 1, imageSize: SIDE });
    let count = 0;
    for await (const frame of stream.frames()) {
      scene.renderFrame(frame.index, FPS, expected);
      let difference = 0;
      for (let index = 0; index < expected.length; index += 1) difference += Math.abs((frame.rgb[index] ?? 0) - (expected[index] ?? 0));
      // H.264 at CRF 20 with 4:2:0 chroma: a few levels of error on average, far below a wrong frame's.
      expect(difference / expected.length).toBeLessThan(8);
      expect(frame.seconds).toBeCloseTo(frame.index / FPS, 3);
      count += 1;
    }
    const summary = await stream.done;
    expect(summary.partial).toBe(false);
    expect(count).toBe(SECONDS * FPS);
  });

  it('writes the ground truth as a schema-valid Longview document of the plan', () => {
    const document = JSON.parse(readFileSync(generated.truthPath, 'utf8')) as ResultDocument;
    expect(validate(document)).toBe(true);
    expect(document.model.id).toBe('ground-truth');
    expect(document.model.labels).toEqual([...ACTIVITIES]);
    expect(document.video).toMatchObject({ path: generated.path, width: SIDE, height: SIDE, averageFrameRate: FPS, durationSeconds: SECONDS });
    expect(document.segments.map((segment) => [segment.label, segment.startSeconds, segment.endSeconds, segment.startFrame, segment.endFrame])).toEqual([
      ['moving right', 0, 1.5, 0, 23],
      ['circling', 1.5, 4, 23, 60],
    ]);
    expect(document.segments.map((segment) => segment.labelIndex)).toEqual([2, 3]);
  });

  it('writes one box per frame, equal to what it returned', () => {
    const file = JSON.parse(readFileSync(generated.boxesPath, 'utf8')) as BoxesFile;
    expect(file).toMatchObject({ fps: FPS, width: SIDE, height: SIDE });
    expect(file.boxes).toHaveLength(SECONDS * FPS);
    expect(file.boxes).toEqual(generated.boxes.map((box) => [box.x, box.y, box.width, box.height]));
  });

  it('is deterministic: the same seed gives the same plan and boxes', async () => {
    const again = await generateVideo({ path: join(folder, 'again.mp4'), seed: 21, durationSeconds: SECONDS, width: SIDE, height: SIDE, fps: FPS, plan: plan.map((segment) => ({ ...segment })) });
    expect(again.plan).toEqual(generated.plan);
    expect(again.boxes).toEqual(generated.boxes);
    const planned = await generateVideo({ path: join(folder, 'planned.mp4'), seed: 5, durationSeconds: 2, width: 64, height: 48, fps: 10 });
    expect(planned.plan.at(-1)?.endSeconds).toBe(2);
    expect(planned.boxes).toHaveLength(20);
  });

  it.each([
    ['an odd width', { width: 95 }],
    ['a zero duration', { durationSeconds: 0 }],
    ['a NaN seed', { seed: Number.NaN }],
    ['a negative frame rate', { fps: -1 }],
    ['an empty plan', { plan: [] }],
  ])('refuses %s with a usage error and writes nothing', async (_name, change) => {
    const path = join(folder, 'refused.mp4');
    const attempt = generateVideo({ path, seed: 1, durationSeconds: 1, width: 64, height: 64, ...change });
    await expect(attempt).rejects.toBeInstanceOf(LongviewError);
    await expect(attempt).rejects.toMatchObject({ kind: 'usage', reason: 'bad-synthetic-video' });
    expect(existsSync(path)).toBe(false);
  });
});
