/**
 * The trainable model is the inference model: same forward over tf.Variables, and what the
 * trainer writes loads through load-model.ts unchanged with the same logits.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type TimesformerConfig } from '../../src/model/config.js';
import { loadModel, openModelCheckpoint } from '../../src/model/load-model.js';
import { TimeSformer, expectedWeightShapes, toBackendLayout, toStoredLayout } from '../../src/model/timesformer.js';
import type { TensorSource } from '../../src/model/weights/tensor-source.js';
import { SAMPLING_CONFIG_KEY, writeCheckpoint } from '../../src/training/checkpoint.js';
import { initialStoredWeights, trainableModel } from '../../src/training/initial-weights.js';

const config: TimesformerConfig = parseConfig({
  model_type: 'timesformer',
  image_size: 16,
  patch_size: 8,
  num_frames: 4,
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 32,
  id2label: { 0: 'a', 1: 'b', 2: 'c' },
});

/** Stored arrays as a TensorSource, what TimeSformer.load reads. */
function sourceOf(stored: Map<string, Float32Array>): TensorSource {
  const shapes = expectedWeightShapes(config);
  return {
    entries: new Map([...stored].map(([name, data]) => [name, { name, dtype: 'F32' as const, shape: shapes.get(name)!, read: () => data.slice() }])),
    close: () => undefined,
  };
}

function logits(model: TimeSformer, pixels: tf.Tensor): Float32Array {
  const output = model.forward(pixels, { outputRollout: true });
  const values = output.logits.dataSync() as Float32Array;
  output.dispose();
  return Float32Array.from(values);
}

let folder: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = mkdtempSync(join(tmpdir(), 'longview-training-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('trainable model', () => {
  const pixels = (): tf.Tensor => tf.randomNormal([1, 4, 3, 16, 16], 0, 1, 'float32', 3);

  it('has the same forward as TimeSformer.load on the same weights', () => {
    const stored = initialStoredWeights(config, 11);
    const reference = TimeSformer.load(config, sourceOf(stored), 'test');
    const trainable = trainableModel(config, stored);
    const input = pixels();
    expect(trainable.variables.every((variable) => variable instanceof tf.Variable)).toBe(true);
    expect(trainable.model.parameterCount()).toBe(reference.parameterCount());
    expect(logits(trainable.model, input)).toEqual(logits(reference, input));
    input.dispose();
    reference.dispose();
    trainable.dispose();
  });

  it('draws the same initial weights for the same seed and different ones for another', () => {
    const first = initialStoredWeights(config, 5);
    const again = initialStoredWeights(config, 5);
    const other = initialStoredWeights(config, 6);
    const key = 'timesformer.encoder.layer.0.attention.attention.qkv.weight';
    expect(again.get(key)).toEqual(first.get(key));
    expect(other.get(key)).not.toEqual(first.get(key));
    expect([...first.get('timesformer.layernorm.weight')!].every((value) => value === 1)).toBe(true);
    expect([...first.get(key)!].every((value) => Math.abs(value) <= 0.04)).toBe(true);
  });

  it('converts every weight to the stored layout and back unchanged', () => {
    const stored = initialStoredWeights(config, 2);
    for (const [key, data] of stored) {
      const backend = toBackendLayout(config, key, data);
      const back = toStoredLayout(config, key, backend);
      expect(back.shape).toEqual(expectedWeightShapes(config).get(key));
      expect(back.dataSync()).toEqual(data);
      tf.dispose([backend, back]);
    }
  });

  it('refuses weights of the wrong shape', () => {
    const weights = new Map<string, tf.Tensor>([['timesformer.layernorm.weight', tf.zeros([3])]]);
    expect(() => TimeSformer.fromBackendWeights(config, weights)).toThrow(/must be/);
    tf.dispose([...weights.values()]);
  });

  it('writes a checkpoint that load-model reads unchanged, with the same logits and the trained sampling', () => {
    const trainable = trainableModel(config, initialStoredWeights(config, 4));
    // Move away from the initial values so that a layout mistake cannot hide behind symmetry.
    for (const variable of trainable.variables) variable.assign(tf.add(variable, tf.randomUniform(variable.shape, -0.1, 0.1, 'float32', 9)));
    const out = join(folder, 'model');
    writeCheckpoint(out, trainable.model, { frame_stride: 6, sampling_fps: 30 });
    const { model, checkpoint } = loadModel(out);
    expect(checkpoint.format).toBe('hf-folder');
    expect(checkpoint.labels).toEqual(['a', 'b', 'c']);
    expect(openModelCheckpoint(out).assumptions).toEqual([]);
    const json = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(json[SAMPLING_CONFIG_KEY]).toEqual({ frame_stride: 6, sampling_fps: 30 });
    expect(json.label2id).toEqual({ a: 0, b: 1, c: 2 });
    const input = pixels();
    expect(logits(model, input)).toEqual(logits(trainable.model, input));
    input.dispose();
    model.dispose();
    trainable.dispose();
  });
});
