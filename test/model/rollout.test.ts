/**
 * The rollout's row-vector propagation against the README's literal definition (full
 * (P·T)×(P·T) matrices, in float64) on small random cases, and against the fixtures' rollout_raw
 * computed from the fixtures' own attention probabilities.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dividedRollout, jointRollout, normalizeByMax, spaceOnlyRollout } from '../../src/model/rollout.js';
import { BACKENDS, fixturePath, maxAbsDiff, readTensors, useBackend } from './golden.js';

/** Deterministic uniform (0, 1). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
}

type Matrix = number[][];

/** `count` random row-stochastic n×n matrices (softmax of N(0,1)-ish scores, like attention). */
function randomAttention(random: () => number, count: number, n: number): Matrix[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: n }, () => {
      const row = Array.from({ length: n }, () => Math.exp(3 * (random() - 0.5)));
      const sum = row.reduce((a, b) => a + b, 0);
      return row.map((value) => value / sum);
    }),
  );
}

function residualNormalize(matrix: Matrix): Matrix {
  return matrix.map((row, i) => {
    const withIdentity = row.map((value, j) => value + (i === j ? 1 : 0));
    const sum = withIdentity.reduce((a, b) => a + b, 0);
    return withIdentity.map((value) => value / sum);
  });
}

function multiply(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((sum, value, k) => sum + value * b[k]![j]!, 0)));
}

function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/**
 * README "Attention rollout", literally: W[p,t,k,q] = Ŝ[t,p,k]·T̂[k,t,q], CLS rows replaced by
 * their mean over t, M_l [(P·T)×(P·T)], R = M_L⋯M_1, raw[n,q] = mean_t R[(0,t),(1+n,q)].
 * Returns rollout_raw as [T][N] (patch n = h·Wp + w).
 */
function bruteForceDivided(layers: { temporal: Matrix[]; spatial: Matrix[] }[], frames: number, patches: number): Matrix {
  const P = patches + 1;
  const T = frames;
  let R = identity(P * T);
  for (const { temporal, spatial } of layers) {
    const sHat = spatial.map(residualNormalize); // [T][P][P]
    const tHat = [identity(T), ...temporal].map(residualNormalize); // [P][T][T]
    const M: Matrix = Array.from({ length: P * T }, () => new Array<number>(P * T).fill(0));
    for (let p = 0; p < P; p++)
      for (let t = 0; t < T; t++)
        for (let k = 0; k < P; k++) for (let q = 0; q < T; q++) M[p * T + t]![k * T + q] = sHat[t]![p]![k]! * tHat[k]![t]![q]!;
    for (let k = 0; k < P; k++)
      for (let q = 0; q < T; q++) {
        let mean = 0;
        for (let t = 0; t < T; t++) mean += M[t]![k * T + q]! / T;
        for (let t = 0; t < T; t++) M[t]![k * T + q] = mean;
      }
    R = multiply(M, R); // R ← M_l · R
  }
  return Array.from({ length: T }, (_, q) =>
    Array.from({ length: patches }, (_, n) => {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += R[t]![(1 + n) * T + q]!;
      return sum / T;
    }),
  );
}

describe.each(BACKENDS)('attention rollout on the %s backend', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('divided: the row-vector propagation equals the full (P·T)² matrix product (T=3, P=5, 2 layers)', () => {
    const frames = 3;
    const patches = 4; // 2×2 grid, P = 5
    const random = generator(42);
    const layers = [0, 1].map(() => ({ temporal: randomAttention(random, patches, frames), spatial: randomAttention(random, frames, patches + 1) }));
    const expected = bruteForceDivided(layers, frames, patches).flat();

    const tensors = layers.map(({ temporal, spatial }) => ({ temporal: tf.tensor3d(temporal), spatial: tf.tensor3d(spatial) }));
    const raw = dividedRollout(tensors, 2, 2);
    try {
      expect(raw.shape).toEqual([3, 2, 2]);
      const actual = raw.dataSync();
      expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-6);
      // Not trivially uniform: the check would be weak if every entry were equal.
      expect(Math.max(...actual) - Math.min(...actual)).toBeGreaterThan(1e-3);
    } finally {
      raw.dispose();
      for (const layer of tensors) tf.dispose([layer.temporal, layer.spatial]);
    }
  });

  it('divided: layer order matters (M_L ⋯ M_1, not M_1 ⋯ M_L)', () => {
    const random = generator(7);
    const layers = [0, 1].map(() => ({ temporal: randomAttention(random, 4, 3), spatial: randomAttention(random, 3, 5) }));
    const reversed = bruteForceDivided([...layers].reverse(), 3, 4).flat();
    const tensors = layers.map(({ temporal, spatial }) => ({ temporal: tf.tensor3d(temporal), spatial: tf.tensor3d(spatial) }));
    const raw = dividedRollout(tensors, 2, 2);
    expect(maxAbsDiff(raw.dataSync(), reversed)).toBeGreaterThan(1e-4);
    raw.dispose();
    for (const layer of tensors) tf.dispose([layer.temporal, layer.spatial]);
  });

  it('joint and space_only: the CLS row of Â_L ⋯ Â_1', () => {
    const random = generator(3);
    const frames = 2;
    const patches = 4;
    const S = 1 + patches * frames;
    const joint = randomAttention(random, 2, S);
    const product = multiply(residualNormalize(joint[1]!), residualNormalize(joint[0]!));
    const jointExpected = Array.from({ length: frames }, (_, t) => Array.from({ length: patches }, (_, n) => product[0]![1 + n * frames + t]!)).flat();
    const jointRaw = jointRollout(joint.map((m) => tf.tensor2d(m)), frames, 2, 2);
    expect(maxAbsDiff(jointRaw.dataSync(), jointExpected)).toBeLessThan(1e-6);
    jointRaw.dispose();

    const perFrame = [0, 1].map(() => randomAttention(random, frames, patches + 1)); // [layer][t]
    const spaceExpected = Array.from({ length: frames }, (_, t) => {
      const r = multiply(residualNormalize(perFrame[1]![t]!), residualNormalize(perFrame[0]![t]!));
      return r[0]!.slice(1);
    }).flat();
    const spaceRaw = spaceOnlyRollout(perFrame.map((m) => tf.tensor3d(m)), 2, 2);
    expect(maxAbsDiff(spaceRaw.dataSync(), spaceExpected)).toBeLessThan(1e-6);
    spaceRaw.dispose();
  });

  it.each([
    ['divided-tiny', 'divided'],
    ['divided-small', 'divided'],
    ['joint-tiny', 'joint'],
    ['space-only-tiny', 'space_only'],
  ])('%s: rollout from the fixture attention equals the fixture rollout', (name, type) => {
    const expected = readTensors(fixturePath(name, 'expected.safetensors'));
    const [frames, rows, cols] = expected.get('rollout_raw')!.shape as [number, number, number];
    const layerCount = [...expected.keys()].filter((key) => /^layers\.\d+\.(spatial_attention|attention)$/.test(key)).length;
    const headMean = (key: string): tf.Tensor =>
      tf.tidy(() => {
        const stored = expected.get(key)!;
        return tf.mean(tf.tensor(stored.data, stored.shape), 1); // mean over the heads axis
      });
    const layers = Array.from({ length: layerCount }, (_, i) => i);
    const tensors: tf.Tensor[] = [];
    let raw: tf.Tensor;
    if (type === 'divided') {
      const means = layers.map((i) => ({ temporal: headMean(`layers.${i}.temporal_attention`), spatial: headMean(`layers.${i}.spatial_attention`) }));
      tensors.push(...means.flatMap((m) => [m.temporal, m.spatial]));
      raw = dividedRollout(means, rows, cols);
    } else if (type === 'joint') {
      const means = layers.map((i) => headMean(`layers.${i}.attention`));
      tensors.push(...means);
      raw = jointRollout(means, frames, rows, cols);
    } else {
      const means = layers.map((i) => headMean(`layers.${i}.attention`));
      tensors.push(...means);
      raw = spaceOnlyRollout(means, rows, cols);
    }
    const normalized = normalizeByMax(raw);
    try {
      expect(maxAbsDiff(raw.dataSync(), expected.get('rollout_raw')!.data)).toBeLessThan(5e-6);
      expect(maxAbsDiff(normalized.dataSync(), expected.get('rollout')!.data)).toBeLessThan(5e-5);
    } finally {
      tf.dispose([raw, normalized, ...tensors]);
    }
  });

  it('keeps no intermediate tensors', () => {
    const random = generator(11);
    const layers = [0, 1, 2].map(() => ({ temporal: tf.tensor3d(randomAttention(random, 4, 3)), spatial: tf.tensor3d(randomAttention(random, 3, 5)) }));
    const before = tf.memory().numTensors;
    const raw = dividedRollout(layers, 2, 2);
    const normalized = normalizeByMax(raw);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([raw, normalized]);
    for (const layer of layers) tf.dispose([layer.temporal, layer.spatial]);
  });
});
