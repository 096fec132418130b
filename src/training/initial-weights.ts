/**
 * Fresh weights for a TimeSformer trained from scratch, as HF's `_init_weights` does: Linear and
 * patch-projection weights and the CLS token from a normal of std 0.02 truncated at ±2 std, biases
 * 0, LayerNorm weight 1 and bias 0. The position and time tables start as sine–cosine codes
 * (sincos-embeddings.ts says why). Drawn from a seeded source in the
 * checkpoint's stored layout and key order, so the draw does not depend on the backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { TimesformerConfig } from '../model/config.js';
import { TimeSformer, expectedWeightShapes, toBackendLayout } from '../model/timesformer.js';
import { elementCount } from '../model/weights/tensor-source.js';
import { normalSource, uniformSource } from './random.js';
import { sincosPositionTable, sincosTimeFrequency, sincosTimeTable } from './sincos-embeddings.js';
import { applyTemporalShiftHeads } from './temporal-shift-init.js';

const INIT_STD = 0.02;

/** Peak of the sine–cosine starting codes: comparable to a patch embedding at init, so neither drowns the other. */
const EMBEDDING_AMPLITUDE = 0.5;

/** Stored-layout arrays by HF key (expectedWeightShapes order). */
export interface InitialOptions {
  /** First-layer temporal heads that start one frame ahead / back (temporal-shift-init.ts). */
  temporalShiftHeads?: boolean;
}

export function initialStoredWeights(config: TimesformerConfig, seed: number, options: InitialOptions = {}): Map<string, Float32Array> {
  const normal = normalSource(uniformSource(seed));
  const truncated = (): number => {
    for (;;) {
      const value = normal();
      if (Math.abs(value) <= 2) return value * INIT_STD;
    }
  };
  const weights = new Map<string, Float32Array>();
  for (const [key, shape] of expectedWeightShapes(config)) {
    const data = new Float32Array(elementCount(shape));
    const isNorm = /norm[^.]*\.(weight|bias)$/.test(key);
    if (isNorm) data.fill(key.endsWith('.weight') ? 1 : 0);
    else if (!key.endsWith('.bias')) for (let i = 0; i < data.length; i++) data[i] = truncated();
    weights.set(key, data);
  }
  const grid = config.image_size / config.patch_size;
  weights.set('timesformer.embeddings.position_embeddings', sincosPositionTable(grid, config.hidden_size, EMBEDDING_AMPLITUDE));
  if (weights.has('timesformer.embeddings.time_embeddings')) {
    weights.set('timesformer.embeddings.time_embeddings', sincosTimeTable(config.num_frames, config.hidden_size, EMBEDDING_AMPLITUDE));
    if (options.temporalShiftHeads === true) applyTemporalShiftHeads(config, weights, (pair) => sincosTimeFrequency(config.num_frames, config.hidden_size, pair));
  }
  return weights;
}

/** A model whose every weight is a tf.Variable (backend layout), and those variables in key order. */
export interface TrainableModel {
  model: TimeSformer;
  variables: tf.Variable[];
  dispose(): void;
}

/** Moves stored-layout arrays into trainable variables and builds the model over them. */
export function trainableModel(config: TimesformerConfig, stored: ReadonlyMap<string, Float32Array>): TrainableModel {
  const weights = new Map<string, tf.Variable>();
  for (const [key, data] of stored) {
    const tensor = toBackendLayout(config, key, data);
    weights.set(key, tf.variable(tensor, true, `w/${key}`));
    tensor.dispose();
  }
  const model = TimeSformer.fromBackendWeights(config, weights);
  const variables = [...weights.values()];
  return { model, variables, dispose: () => variables.forEach((variable) => variable.dispose()) };
}
