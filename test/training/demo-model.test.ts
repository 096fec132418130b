/**
 * The shipped demo model (resources/models/longview-demo) is real: it loads through load-model,
 * declares its sampling, and names freshly generated clips (a seed never used in training or
 * evaluation) far better than chance. Not every activity: the model card's confusion table shows
 * the shipped model does not yet tell the direction pairs apart (left/right, growing/shrinking), so
 * the bar is 4 of 7 (chance is 1); a model that loads wrongly or is untrained lands near 1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveNormalization } from '../../src/analysis/sampling.js';
import { loadModel } from '../../src/model/load-model.js';
import type { TimeSformer } from '../../src/model/timesformer.js';
import { demoModelPath } from '../../src/models/demo-model.js';
import { ACTIVITIES } from '../../src/synthetic/activities.js';
import { generateVideo } from '../../src/synthetic/generate-video.js';
import { clipPixelValues } from '../../src/training/clip-tensors.js';
import { decodeWholeVideo } from '../../src/training/decoded-video.js';

const SEGMENT_SECONDS = 5;

let folder: string;
let model: TimeSformer;
let labels: string[];
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = mkdtempSync(join(tmpdir(), 'longview-demo-model-'));
  const loaded = loadModel(demoModelPath());
  model = loaded.model;
  labels = loaded.checkpoint.labels;
});
afterAll(() => {
  model?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe('the demo model in resources', () => {
  it('is a 16-frame, 64 px TimeSformer over the synthetic activities, trained at stride 6, MIT', () => {
    const json = JSON.parse(readFileSync(join(demoModelPath(), 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(labels).toEqual([...ACTIVITIES]);
    expect(model.config).toMatchObject({ image_size: 64, num_frames: 16, attention_type: 'divided_space_time' });
    expect(json.longview_sampling).toEqual({ frame_stride: 6, sampling_fps: 30 });
    expect(readFileSync(join(demoModelPath(), 'README.md'), 'utf8')).toMatch(/^---\nlicense: mit\n/);
  });

  it('names at least 4 of 7 generated activity clips correctly', async () => {
    const plan = ACTIVITIES.map((activity, index) => ({ activity, startSeconds: index * SEGMENT_SECONDS, endSeconds: (index + 1) * SEGMENT_SECONDS }));
    const path = join(folder, 'each-activity.mp4');
    await generateVideo({ path, seed: 777_001, durationSeconds: plan.length * SEGMENT_SECONDS, plan, createdAt: new Date(0) });
    const video = await decodeWholeVideo(path, { imageSize: 64, samplingFps: 30, frameStride: 6 });
    const normalization = resolveNormalization(undefined);
    const predicted: string[] = [];
    for (const segment of plan) {
      // The 16 sampled frames (3.2 s) centred in the segment.
      const middle = (segment.startSeconds + segment.endSeconds) / 2;
      const start = Math.round((middle - 1.6) / 0.2);
      const pixels = clipPixelValues({ ...video, seed: 0, actorPatches: new Float32Array(0), grid: 8 }, start, 16, normalization, false);
      const output = model.forward(pixels);
      predicted.push(labels[tf.argMax(output.logits, 1).dataSync()[0]!]!);
      output.dispose();
      pixels.dispose();
    }
    const correct = predicted.filter((label, index) => label === ACTIVITIES[index]).length;
    expect(correct, `predicted ${predicted.join(', ')}`).toBeGreaterThanOrEqual(4);
  });
});
