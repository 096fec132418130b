/**
 * The temporal-shift prior: with the time table's sine–cosine codes as the only input (blank
 * pixels), the first layer's head 0 attends one frame ahead and head 1 one frame back; the
 * other heads and every other weight keep the plain initialisation.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type TimesformerConfig } from '../../src/model/config.js';
import { initialStoredWeights, trainableModel } from '../../src/training/initial-weights.js';
import { applyTemporalShiftHeads, SHIFT_OFFSETS } from '../../src/training/temporal-shift-init.js';

const config: TimesformerConfig = parseConfig({
  model_type: 'timesformer',
  image_size: 32,
  patch_size: 8,
  num_frames: 16,
  hidden_size: 64,
  num_hidden_layers: 1,
  num_attention_heads: 4,
  intermediate_size: 32,
  id2label: { 0: 'a', 1: 'b' },
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Layer 0's temporal attention for blank pixels: [N, heads, T, T] as nested arrays. */
function temporalAttention(temporalShiftHeads: boolean): number[][][][] {
  const trainable = trainableModel(config, initialStoredWeights(config, 3, { temporalShiftHeads }));
  const pixels = tf.zeros([1, 16, 3, 32, 32]);
  const output = trainable.model.forward(pixels, { outputAttentions: true });
  const attention = output.attentions![0]!.temporal!.arraySync() as number[][][][];
  output.dispose();
  pixels.dispose();
  trainable.dispose();
  return attention;
}

/** Per head, the share of query frames (those with a target inside the clip) whose strongest key is t + offset. */
function shareOnOffset(attention: number[][][][], head: number, offset: number): number {
  let hits = 0;
  let queries = 0;
  for (const patch of attention) {
    patch[head]!.forEach((row, t) => {
      if (t + offset < 0 || t + offset >= row.length) return;
      queries += 1;
      if (row.indexOf(Math.max(...row)) === t + offset) hits += 1;
    });
  }
  return hits / queries;
}

describe('temporal shift heads', () => {
  it('make head 0 look a frame ahead and head 1 a frame back', () => {
    const attention = temporalAttention(true);
    SHIFT_OFFSETS.forEach((offset, head) => {
      expect(shareOnOffset(attention, head, offset)).toBeGreaterThan(0.7); // the rest: the position codes share the dims (see the header)
      expect(shareOnOffset(attention, head, -offset)).toBeLessThan(0.1);
    });
  });

  it('are absent without the option: every head starts near uniform', () => {
    const attention = temporalAttention(false);
    const largest = Math.max(...attention.flatMap((patch) => patch.flatMap((head) => head.flat())));
    expect(largest).toBeLessThan(2 / 16);
  });

  it('change only layer 0\'s temporal weights, and write head(+1) − head(−1) into the last head-width dims', () => {
    const plain = initialStoredWeights(config, 3);
    const shifted = initialStoredWeights(config, 3, { temporalShiftHeads: true });
    const layer = 'timesformer.encoder.layer.0';
    const changed = [`${layer}.temporal_attention.attention.qkv.weight`, `${layer}.temporal_attention.output.dense.weight`, `${layer}.temporal_dense.weight`];
    for (const [name, data] of plain) {
      if (changed.includes(name)) expect(shifted.get(name)).not.toEqual(data);
      else expect(shifted.get(name)).toEqual(data);
    }
    const D = config.hidden_size;
    const d = D / config.num_attention_heads;
    const qkv = shifted.get(changed[0]!)!;
    const output = shifted.get(changed[1]!)!;
    const passThrough = shifted.get(changed[2]!)!;
    const row = (weight: Float32Array, index: number): number[] => [...weight.subarray(index * D, (index + 1) * D)];
    const unit = (at: number): number[] => Array.from({ length: D }, (_, column) => (column === at ? 1 : 0));
    for (let j = 0; j < d; j++) {
      // Both shift heads' values copy LN(x)[j].
      for (const head of [0, 1]) expect(row(qkv, 2 * D + head * d + j)).toEqual(unit(j));
      const target = D - d + j;
      expect(row(output, target).map((value, column) => (column === j ? value - 1 : column === d + j ? value + 1 : value))).toEqual(new Array(D).fill(0));
      expect(row(passThrough, target)).toEqual(unit(target));
    }
    // Rows of the other heads keep the plain draw.
    expect(row(qkv, 2 * d)).toEqual(row(plain.get(changed[0]!)!, 2 * d));
  });

  it('refuses a model it cannot shape', () => {
    const narrow = parseConfig({ ...config, hidden_size: 32, id2label: { 0: 'a' } });
    expect(() => applyTemporalShiftHeads(narrow, initialStoredWeights(narrow, 1), () => 1)).toThrow(/head size/);
    const spaceOnly = parseConfig({ ...config, attention_type: 'space_only', id2label: { 0: 'a' } });
    expect(() => applyTemporalShiftHeads(spaceOnly, new Map(), () => 1)).toThrow(/divided/);
  });
});
