/** The training objectives, against values worked out by hand. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationLoss, heatmapLoss, tokenLabelLoss } from '../../src/training/loss.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const value = (scalar: tf.Scalar | undefined): number | undefined => {
  if (scalar === undefined) return undefined;
  const result = scalar.dataSync()[0]!;
  scalar.dispose();
  return result;
};

describe('classificationLoss', () => {
  it.each([
    { logits: [0, 0], label: 0, expected: Math.log(2) },
    { logits: [2, 0], label: 0, expected: Math.log(1 + Math.exp(-2)) },
    { logits: [2, 0], label: 1, expected: Math.log(1 + Math.exp(2)) },
  ])('logits $logits, label $label → $expected', ({ logits, label, expected }) => {
    const input = tf.tensor2d([logits]);
    expect(value(classificationLoss(input, label))).toBeCloseTo(expected, 5);
    input.dispose();
  });
});

describe('heatmapLoss', () => {
  it('is −log of the share on the actor, over frames where the actor shows', () => {
    const rollout = tf.tensor3d([[[1, 3]], [[2, 2]]]); // [T=2, 1, 2]
    const mask = tf.tensor2d([[1, 0], [0, 0]]); // frame 1: actor hidden
    expect(value(heatmapLoss(rollout, mask))).toBeCloseTo(-Math.log(0.25 + 1e-6), 5);
    const hidden = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(heatmapLoss(rollout, hidden)).toBeUndefined();
    tf.dispose([rollout, mask, hidden]);
  });
});

describe('tokenLabelLoss', () => {
  // lastHiddenState rows: CLS, token(n0,t0), (n0,t1), (n1,t0), (n1,t1); classifier = identity, so logits = rows.
  const hidden = tf.tensor3d([[[9, -9], [2, 0], [-50, 50], [-50, 50], [0, 1]]]);
  const weight = tf.eye(2);
  const bias = tf.zeros([2]);

  it('weights each token by the share of its patch the actor covers (mask [T, N], rows patch-major)', () => {
    const mask = tf.tensor2d([[1, 0], [0, 0.5]]); // covers (n0,t0) fully and half of (n1,t1)
    const expected = (1 * Math.log(1 + Math.exp(-2)) + 0.5 * Math.log(1 + Math.exp(1))) / 1.5;
    expect(value(tokenLabelLoss(hidden, weight, bias, mask, 0))).toBeCloseTo(expected, 5);
    mask.dispose();
  });

  it('ignores the CLS row and tokens off the actor, and is undefined when the actor never shows', () => {
    const onlyFirst = tf.tensor2d([[1, 0], [0, 0]]);
    expect(value(tokenLabelLoss(hidden, weight, bias, onlyFirst, 1))).toBeCloseTo(Math.log(1 + Math.exp(2)), 5);
    const none = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(tokenLabelLoss(hidden, weight, bias, none, 0)).toBeUndefined();
    tf.dispose([onlyFirst, none]);
  });

  it('leaks no tensors', () => {
    const mask = tf.tensor2d([[1, 0], [0, 0.5]]);
    const none = tf.zeros([2, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    value(tokenLabelLoss(hidden, weight, bias, mask, 0));
    expect(tokenLabelLoss(hidden, weight, bias, none, 0)).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([mask, none]);
  });
});
