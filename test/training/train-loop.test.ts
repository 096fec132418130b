/** The training loop learns, is deterministic for a seed, and schedules its rate as documented. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveNormalization } from '../../src/analysis/sampling.js';
import { parseConfig } from '../../src/model/config.js';
import { initialStoredWeights, trainableModel } from '../../src/training/initial-weights.js';
import { batchOrder, learningRateAt, trainModel, type LoopSettings, type TimeReversal } from '../../src/training/train-loop.js';
import type { TrainingSet, TrainingVideo } from '../../src/training/training-set.js';

const config = parseConfig({
  model_type: 'timesformer',
  image_size: 16,
  patch_size: 8,
  num_frames: 4,
  hidden_size: 16,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  intermediate_size: 32,
  id2label: { 0: 'idle', 1: 'moving left', 2: 'moving right', 3: 'circling' },
});

/** A 6-frame video of one brightness, with the "actor" in the top-left patch. */
function video(brightness: number): TrainingVideo {
  const frameCount = 6;
  const pixels = new Uint8Array(frameCount * 16 * 16 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (brightness + ((i * 37) % 23)) & 255;
  const actorPatches = new Float32Array(frameCount * 4);
  for (let frame = 0; frame < frameCount; frame++) actorPatches[frame * 4] = 1;
  return { pixels, frameCount, imageSize: 16, seconds: Float64Array.from({ length: frameCount }, (_, frame) => frame * 0.2), seed: brightness, actorPatches, grid: 2 };
}

const data: TrainingSet = {
  videos: [video(30), video(220)],
  examples: [
    { video: 0, startFrame: 0, label: 0 },
    { video: 1, startFrame: 2, label: 3 },
  ],
  classCounts: [1, 0, 0, 1],
};

const settings: LoopSettings = { steps: 12, batchSize: 2, learningRate: 1e-2, warmupSteps: 2, heatmapLossWeight: 0.5, tokenLossWeight: 0.5, timeReversal: 'random', frames: 4, normalization: resolveNormalization(undefined), seed: 3 };

async function train(): Promise<number[]> {
  const trainable = trainableModel(config, initialStoredWeights(config, 1));
  const reports = await trainModel(trainable, data, settings);
  trainable.dispose();
  return reports.map((report) => report.loss);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainModel', () => {
  it('reduces the loss on a tiny batch, the same way every time', async () => {
    const before = tf.memory().numTensors;
    const losses = await train();
    expect(losses).toHaveLength(12);
    // The same two clips every step (random flips aside): the loss falls steadily.
    expect(losses.at(-1)!).toBeLessThan(0.6 * losses[0]!);
    for (let step = 1; step < losses.length; step++) expect(losses[step]!).toBeLessThan(losses[step - 1]!);
    expect(await train()).toEqual(losses);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('learningRateAt', () => {
  it.each([
    [0, 0.5e-2],
    [1, 1e-2],
    [2, 1e-2],
    [7, 0.5e-2 * 1.05],
    [12, 0.05e-2],
  ])('step %i → %f', (step, rate) => {
    expect(learningRateAt(step, settings)).toBeCloseTo(rate, 8);
  });
});

describe('batchOrder', () => {
  it('visits every example once per epoch and repeats for the same seed', () => {
    const examples = Array.from({ length: 5 }, (_, startFrame) => ({ video: 0, startFrame, label: 0 }));
    const take = (seed: number): number[] => {
      const batches = batchOrder(examples, 5, seed, 'off');
      return [...batches.next().value!, ...batches.next().value!].map((item) => item.example.startFrame);
    };
    const order = take(1);
    expect([...order.slice(0, 5)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...order.slice(5)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(take(1)).toEqual(order);
  });

  it('plays clips backwards only when asked, and then about half of them', () => {
    const examples = Array.from({ length: 200 }, (_, startFrame) => ({ video: 0, startFrame, label: 0 }));
    const reversedShare = (timeReversal: TimeReversal): number => batchOrder(examples, 200, 4, timeReversal).next().value!.filter((item: { reverse: boolean }) => item.reverse).length / 200;
    expect(reversedShare('off')).toBe(0);
    expect(reversedShare('random')).toBeGreaterThan(0.35);
    expect(reversedShare('random')).toBeLessThan(0.65);
  });

  it('paired: every clip forwards then backwards, side by side with the same flip', () => {
    const examples = Array.from({ length: 20 }, (_, startFrame) => ({ video: 0, startFrame, label: 0 }));
    const batches = batchOrder(examples, 8, 5, 'paired');
    const seen: number[] = [];
    for (let index = 0; index < 5; index++) {
      const batch = batches.next().value!;
      expect(batch).toHaveLength(8);
      for (let pair = 0; pair < 8; pair += 2) {
        const [forwards, backwards] = [batch[pair]!, batch[pair + 1]!];
        expect(backwards.example).toBe(forwards.example);
        expect([forwards.reverse, backwards.reverse]).toEqual([false, true]);
        expect(backwards.flip).toBe(forwards.flip);
        seen.push(forwards.example.startFrame);
      }
    }
    // 20 pairs in 5 batches: one epoch, every example once.
    expect([...seen].sort((left, right) => left - right)).toEqual([...examples.keys()]);
  });
});
