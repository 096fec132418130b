/**
 * The trainer's wasm matMul patch computes the same products: every transpose-flag combination,
 * batch 1 (rerouted) and batched (left alone), against a plain JavaScript product.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, shutdownBackend } from '../../src/model/backend.js';
import { installWasmMatMulPatch } from '../../src/training/wasm-matmul-patch.js';

/** [batch, rows, inner] × [batch, inner, columns] in plain loops; inputs already untransposed. */
function reference(a: number[][][], b: number[][][]): number[][][] {
  return a.map((left, batch) => left.map((row) => b[batch]![0]!.map((_, column) => row.reduce((sum, value, k) => sum + value * b[batch]![k]![column]!, 0))));
}

function transposed(x: number[][][]): number[][][] {
  return x.map((matrix) => matrix[0]!.map((_, column) => matrix.map((row) => row[column]!)));
}

function random(shape: [number, number, number], seed: number): number[][][] {
  return tf.tidy(() => tf.randomUniform(shape, -1, 1, 'float32', seed).arraySync() as number[][][]);
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1 });
  expect(installWasmMatMulPatch()).toBe(true);
});
afterAll(() => shutdownBackend());

describe('installWasmMatMulPatch', () => {
  it.each([
    [1, false, false],
    [1, true, false],
    [1, false, true],
    [1, true, true],
    [3, true, false],
    [3, false, true],
  ])('batch %i, transposeA %s, transposeB %s', (batch, transposeA, transposeB) => {
    const a = random([batch, 5, 7], 1); // [batch, rows, inner]
    const b = random([batch, 7, 4], 2); // [batch, inner, columns]
    const left = tf.tensor3d(transposeA ? transposed(a) : a);
    const right = tf.tensor3d(transposeB ? transposed(b) : b);
    const product = tf.matMul(left, right, transposeA, transposeB);
    const expected = reference(a, b).flat(2);
    const actual = [...product.dataSync()];
    expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, 4));
    tf.dispose([left, right, product]);
  });

  it('leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => tf.matMul(tf.ones([6, 3]), tf.ones([6, 2]), true, false).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });
});
