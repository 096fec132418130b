/** forward() keeps nothing beyond what it returns; load/dispose returns every weight. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TimeSformer } from '../../src/model/timesformer.js';
import { BACKENDS, fixtureConfig, fixtureInput, fixtureWeights, useBackend } from './golden.js';

function load(name: string): TimeSformer {
  const source = fixtureWeights(name);
  try {
    return TimeSformer.load(fixtureConfig(name), source, name);
  } finally {
    source.close();
  }
}

describe.each(BACKENDS)('tensor leaks on the %s backend', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it.each(['divided-tiny', 'joint-tiny', 'space-only-tiny', 'divided-interp'])('%s: 3 forwards with every output, disposed, leave numTensors unchanged', (name) => {
    const model = load(name);
    const input = fixtureInput(name);
    const pixels = tf.tensor(input.data, input.shape);
    try {
      const before = tf.memory().numTensors;
      for (let run = 0; run < 3; run++) {
        const output = model.forward(pixels, { outputAttentions: true, outputRollout: true, outputHiddenStates: true });
        output.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
      // Only the requested outputs are returned, and they are all that is left over.
      const plain = model.forward(pixels);
      expect(tf.memory().numTensors).toBe(before + 2);
      plain.dispose();
      const rolloutOnly = model.forward(pixels, { outputRollout: true });
      expect(tf.memory().numTensors).toBe(before + 4);
      rolloutOnly.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      pixels.dispose();
      model.dispose();
    }
  });

  it('load then dispose returns every tensor, also under a caller tidy', () => {
    const before = tf.memory().numTensors;
    let model: TimeSformer | undefined;
    tf.tidy(() => {
      model = load('divided-small');
    });
    const source = fixtureWeights('divided-small');
    const weightCount = source.entries.size;
    source.close();
    expect(tf.memory().numTensors).toBe(before + weightCount);
    // Under a caller's tidy, forward's outputs follow tidy's rules: kept only if returned.
    const input = fixtureInput('divided-small');
    const logits = tf.tidy(() => model!.forward(tf.tensor(input.data, input.shape), { outputRollout: true }).logits);
    expect(logits.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before + weightCount + 1);
    logits.dispose();
    model!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a failing forward leaves nothing behind', () => {
    const model = load('divided-tiny');
    const bad = tf.zeros([1, 4, 3, 30, 32]);
    const before = tf.memory().numTensors;
    expect(() => model.forward(bad, { outputRollout: true, outputAttentions: true })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    bad.dispose();
    model.dispose();
  });
});
