/**
 * Golden parity: every fixture folder, every stored output, on the cpu and the wasm backend,
 * within the README's tolerances. Prints the measured max abs differences.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LongviewError, ModelError } from '../../src/shared/errors.js';
import { expectedWeightShapes, TimeSformer, type TimeSformerOutput } from '../../src/model/timesformer.js';
import type { TensorEntry, TensorSource } from '../../src/model/weights/tensor-source.js';
import {
  BACKENDS,
  FIXTURE_NAMES,
  fixtureConfig,
  fixtureInput,
  fixturePath,
  fixtureWeights,
  maxAbsDiff,
  readTensors,
  tolerance,
  useBackend,
  type FixtureName,
} from './golden.js';

function loadFixtureModel(name: FixtureName): TimeSformer {
  const source = fixtureWeights(name);
  try {
    return TimeSformer.load(fixtureConfig(name), source, `${name}/model.safetensors`);
  } finally {
    source.close();
  }
}

function runFixture(model: TimeSformer, name: FixtureName, blockTokens?: number): TimeSformerOutput {
  const input = fixtureInput(name);
  const pixels = tf.tensor(input.data, input.shape);
  try {
    return model.forward(pixels, { outputAttentions: true, outputRollout: true, outputHiddenStates: true, ...(blockTokens === undefined ? {} : { blockTokens }) });
  } finally {
    pixels.dispose();
  }
}

/** The model's output stored under a fixture name (`layers.i.*` without `_mean_heads`). */
function outputByName(output: TimeSformerOutput, name: string): tf.Tensor | undefined {
  if (name === 'logits') return output.logits;
  if (name === 'last_hidden_state') return output.lastHiddenState;
  if (name === 'rollout') return output.rollout;
  if (name === 'rollout_raw') return output.rolloutRaw;
  const hidden = /^hidden_states\.(\d+)$/.exec(name);
  if (hidden !== null) return output.hiddenStates?.[Number(hidden[1])];
  const layer = /^layers\.(\d+)\.(temporal_attention|spatial_attention|attention)$/.exec(name);
  if (layer !== null) {
    const attention = output.attentions?.[Number(layer[1])];
    return layer[2] === 'temporal_attention' ? attention?.temporal : layer[2] === 'spatial_attention' ? attention?.spatial : attention?.joint;
  }
  return undefined;
}

/** Measured max abs diffs: fixture → backend → output → diff. */
const measured = new Map<string, Map<string, Map<string, number>>>();

function record(fixture: string, backend: string, output: string, diff: number): void {
  if (!measured.has(fixture)) measured.set(fixture, new Map());
  const byBackend = measured.get(fixture)!;
  if (!byBackend.has(backend)) byBackend.set(backend, new Map());
  byBackend.get(backend)!.set(output, diff);
}

afterAll(() => {
  const lines = ['max |actual − expected| per fixture / backend / output:'];
  for (const [fixture, byBackend] of measured) {
    for (const [backend, byOutput] of byBackend) {
      const parts = [...byOutput].map(([output, diff]) => `${output} ${diff.toExponential(1)}`);
      lines.push(`  ${fixture.padEnd(15)} ${backend.padEnd(4)} ${parts.join(', ')}`);
    }
  }
  console.log(lines.join('\n'));
});

describe.each(BACKENDS)('TimeSformer on the %s backend', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  /** Compares every stored output of a fixture; `blockTokens` small forces the multi-block path. */
  function expectParity(name: FixtureName, blockTokens?: number): void {
    const label = blockTokens === undefined ? name : `${name} (blocks of ${blockTokens})`;
    const expected = readTensors(fixturePath(name, 'expected.safetensors'));
    const model = loadFixtureModel(name);
    const output = runFixture(model, name, blockTokens);
    try {
      const checked: string[] = [];
      for (const [key, want] of expected) {
        if (key === 'logits_official_clip') continue; // the official repo's clip head, not HF's (README)
        const meanHeads = key.endsWith('_mean_heads');
        const tensor = outputByName(output, meanHeads ? key.replace(/_mean_heads$/, '') : key);
        expect(tensor, `output for ${key}`).toBeDefined();
        const actual = meanHeads ? tf.tidy(() => tf.mean(tensor!, 1)) : tensor!;
        try {
          expect(actual.shape, `shape of ${key}`).toEqual(want.shape);
          const diff = maxAbsDiff(actual.dataSync(), want.data);
          record(label, backend, key, diff);
          expect(diff, `${key} max abs diff`).toBeLessThanOrEqual(tolerance(key));
          checked.push(key);
        } finally {
          if (meanHeads) actual.dispose();
        }
      }
      expect(checked).toContain('logits');
      expect(checked).toContain('rollout');
    } finally {
      output.dispose();
      model.dispose();
    }
  }

  it.each(FIXTURE_NAMES)('%s matches expected.safetensors', (name) => {
    expectParity(name);
  });

  // The fixtures are smaller than one default block (4096 rows); 40 rows splits every step,
  // and one spatial sequence of 37 or 17 tokens per block leaves uneven remainders.
  it.each(['divided-tiny', 'joint-tiny', 'space-only-tiny', 'divided-interp'] as const)('%s matches in blocks of 40 rows', (name) => {
    expectParity(name, 40);
  });

  it('divided-interp uses the real frame count and grid, not HF-literal regrouping', () => {
    const literal = readTensors(fixturePath('divided-interp', 'expected_hf_literal.safetensors')).get('logits')!;
    const model = loadFixtureModel('divided-interp');
    const input = fixtureInput('divided-interp');
    const pixels = tf.tensor(input.data, input.shape);
    const output = model.forward(pixels);
    try {
      expect(maxAbsDiff(output.logits.dataSync(), literal.data)).toBeGreaterThan(0.05);
    } finally {
      output.dispose();
      pixels.dispose();
      model.dispose();
    }
  });

  it('logits, lastHiddenState only by default; the per-frame logits of space_only', () => {
    const model = loadFixtureModel('space-only-tiny');
    const input = fixtureInput('space-only-tiny');
    const pixels = tf.tensor(input.data, input.shape);
    const output = model.forward(pixels);
    try {
      expect(output.logits.shape).toEqual([4, 5]);
      expect(output.lastHiddenState.shape).toEqual([4, 17, 32]);
      expect(output.attentions).toBeUndefined();
      expect(output.hiddenStates).toBeUndefined();
      expect(output.rollout).toBeUndefined();
      expect(output.rolloutRaw).toBeUndefined();
    } finally {
      output.dispose();
      pixels.dispose();
      model.dispose();
    }
  });
});

describe('TimeSformer.load and input checks', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  /** The fixture checkpoint with one tensor's declared shape replaced; counts reads. */
  function withShape(source: TensorSource, key: string, shape: number[]): { source: TensorSource; reads: () => number } {
    let reads = 0;
    const entries = new Map<string, TensorEntry>();
    for (const [name, entry] of source.entries) {
      entries.set(name, { ...entry, shape: name === key ? shape : entry.shape, read: () => (reads++, entry.read()) });
    }
    return { source: { entries, close: () => source.close() }, reads: () => reads };
  }

  it('refuses a checkpoint with a wrong-shape tensor, naming the key, before reading anything', () => {
    const source = fixtureWeights('divided-tiny');
    const key = 'timesformer.encoder.layer.1.temporal_attention.attention.qkv.weight';
    const before = tf.memory().numTensors;
    try {
      const broken = withShape(source, key, [96, 31]);
      const attempt = (): unknown => TimeSformer.load(fixtureConfig('divided-tiny'), broken.source, 'broken.safetensors');
      expect(attempt).toThrow(ModelError);
      expect(attempt).toThrow(key);
      try {
        attempt();
      } catch (error) {
        expect((error as ModelError).reason).toBe('shape-mismatch');
        expect((error as ModelError).message).toContain('[96, 31]');
        expect((error as ModelError).message).toContain('broken.safetensors');
      }
      expect(broken.reads()).toBe(0);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      source.close();
    }
  });

  it('refuses a checkpoint for another attention type, naming the keys', () => {
    const source = fixtureWeights('joint-tiny');
    try {
      const config = { ...fixtureConfig('joint-tiny'), attention_type: 'divided_space_time' as const };
      expect(() => TimeSformer.load(config, source, 'joint.safetensors')).toThrow(/missing .*temporal/);
    } finally {
      source.close();
    }
  });

  it('lists every HF key with its shape', () => {
    const config = fixtureConfig('divided-small');
    const shapes = expectedWeightShapes(config);
    const stored = fixtureWeights('divided-small');
    try {
      expect(new Set(shapes.keys())).toEqual(new Set(stored.entries.keys()));
      for (const [key, shape] of shapes) expect(shape, key).toEqual([...stored.entries.get(key)!.shape]);
    } finally {
      stored.close();
    }
    expect(expectedWeightShapes({ ...config, qkv_bias: false }).has('timesformer.encoder.layer.0.attention.attention.qkv.bias')).toBe(false);
    expect(expectedWeightShapes({ ...config, attention_type: 'space_only' }).has('timesformer.embeddings.time_embeddings')).toBe(false);
  });

  it('counts parameters', () => {
    const model = loadFixtureModel('divided-tiny');
    try {
      const stored = fixtureWeights('divided-tiny');
      let count = 0;
      for (const entry of stored.entries.values()) count += entry.shape.reduce((a, b) => a * b, 1);
      stored.close();
      expect(model.parameterCount()).toBe(count);
    } finally {
      model.dispose();
    }
  });

  it.each([
    [[4, 3, 32, 32], /rank 5/],
    [[2, 4, 3, 32, 32], /batch 1/],
    [[1, 4, 4, 32, 32], /4 channels/],
    [[1, 4, 32, 32, 3], /channels/],
    [[1, 4, 3, 36, 32], /multiple of the patch size 8/],
    [[1, 4, 3, 32, 4], /multiple of the patch size 8/],
  ])('refuses pixel_values of shape %j', (shape, message) => {
    const model = loadFixtureModel('divided-tiny');
    const pixels = tf.zeros(shape);
    const before = tf.memory().numTensors;
    try {
      // Bad pixels are the caller's input, not a broken model: kind 'input' (exit code 3).
      expect(() => model.forward(pixels)).toThrow(message);
      try {
        model.forward(pixels);
      } catch (error) {
        expect(error).toBeInstanceOf(LongviewError);
        expect((error as LongviewError).kind).toBe('input');
        expect((error as LongviewError).reason).toBe('bad-input');
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      pixels.dispose();
      model.dispose();
    }
  });

  it('runs a non-square grid and other frame counts (interpolated embeddings)', () => {
    const model = loadFixtureModel('divided-tiny'); // 4 frames, 4×4 grid
    try {
      for (const [frames, height, width] of [
        [7, 16, 40],
        [1, 8, 8],
        [4, 32, 32],
      ] as const) {
        const pixels = tf.randomNormal([1, frames, 3, height, width], 0, 1, 'float32', 3);
        const output = model.forward(pixels, { outputRollout: true });
        const n = (height / 8) * (width / 8);
        expect(output.lastHiddenState.shape).toEqual([1, 1 + n * frames, 32]);
        expect(output.rollout!.shape).toEqual([frames, height / 8, width / 8]);
        expect(Number.isFinite(output.logits.dataSync()[0])).toBe(true);
        expect(Math.max(...output.rollout!.dataSync())).toBeCloseTo(1, 6);
        output.dispose();
        pixels.dispose();
      }
    } finally {
      model.dispose();
    }
  });
});
