/**
 * TimeSformer ("Is Space-Time Attention All You Need for Video Understanding?", Bertasius et al.
 * 2021) in TensorFlow.js, forward pass only. Reads top to bottom: weights → helpers →
 * embeddings → attention → the layer variants → the model.
 *
 * The math is test/fixtures/timesformer/README.md, "The model, as computed by the reference"; the
 * golden fixtures next to it pin every output. Weight and config names are Hugging Face's
 * (`TimesformerForVideoClassification.state_dict()`), unchanged.
 *
 * Layout conventions:
 * - The hidden state is always a 2-D [rows, D] tensor so that every Linear is one 2-D matMul:
 *   divided / joint: rows = 1 + N·T, token(n, t) at row 1 + n·T + t (patch-major, time-minor);
 *   space_only: rows = T·(1+N), frame t's [CLS, patch 0..N-1] at rows t·(1+N) ….
 * - Linear weights are transposed once at load, [out, in] → [in, out], so every dense layer is
 *   `fused.matMul(x, W)` without a transpose flag: on wasm that is XNNPACK's fast path.
 * - The clip's real frame count and patch grid drive the layers (the official semantics). HF as
 *   shipped regroups tokens by `config.num_frames` instead, which is wrong when they differ.
 *
 * - Attention and MLP run in blocks of whole sequences (≤ 4096 rows by default), so a 96-frame
 *   TimeSformer-Base layer peaks below 1 GB of wasm heap instead of ~3.5 GB (the heap's cap is 4 GB).
 *
 * Where wasm is slow: the attention cores (QKᵀ and P·V) are batched matMuls ([heads·B, L, d]),
 * which tfjs-backend-wasm runs in a scalar loop instead of XNNPACK (it takes the fast path only for
 * batch 1 without transpose flags), at ~2 GFLOP/s. Measured on TimeSformer-Base, wasm, 1 thread:
 * ~25 % of a layer at 8 frames, and at 96 frames ~9 s of a ~24 s layer (temporal: 196·12 batches of
 * 96×96; spatial: 96·12 batches of 197×197). Per-(head, sequence) 2-D matMuls were slower still
 * at these batch counts (XNNPACK packs a fresh operator for every new right-hand side).
 */
import * as tf from '@tensorflow/tfjs';
import { LongviewError } from '../shared/errors.js';
import { numLabels, type TimesformerConfig } from './config.js';
import { positionIndexMap, timeIndexMap } from './interpolate.js';
import { dividedRollout, jointRollout, normalizeByMax, spaceOnlyRollout, type DividedHeadMeans } from './rollout.js';
import { checkWeights } from './weights/check-weights.js';
import type { TensorSource } from './weights/tensor-source.js';

// ---------------------------------------------------------------------------------------------
// Weights: HF key → shape, and the typed view the forward pass uses
// ---------------------------------------------------------------------------------------------

/** How a checkpoint tensor is laid out in the backend (see `toBackendTensor`). */
type WeightKind = 'linear-weight' | 'patch-projection' | 'embedding-table' | 'vector';

/** Every HF key for `config` with its stored shape and kind, in a fixed order. */
function weightLayout(config: TimesformerConfig): Map<string, { shape: number[]; kind: WeightKind }> {
  const D = config.hidden_size;
  const I = config.intermediate_size;
  const p = config.patch_size;
  const grid = config.image_size / p;
  const layout = new Map<string, { shape: number[]; kind: WeightKind }>();
  const linear = (name: string, inFeatures: number, outFeatures: number, bias = true): void => {
    layout.set(`${name}.weight`, { shape: [outFeatures, inFeatures], kind: 'linear-weight' }); // PyTorch [out, in]
    if (bias) layout.set(`${name}.bias`, { shape: [outFeatures], kind: 'vector' });
  };
  const layerNorm = (name: string): void => {
    layout.set(`${name}.weight`, { shape: [D], kind: 'vector' });
    layout.set(`${name}.bias`, { shape: [D], kind: 'vector' });
  };
  layout.set('timesformer.embeddings.cls_token', { shape: [1, 1, D], kind: 'embedding-table' });
  layout.set('timesformer.embeddings.position_embeddings', { shape: [1, 1 + grid * grid, D], kind: 'embedding-table' });
  if (config.attention_type !== 'space_only') layout.set('timesformer.embeddings.time_embeddings', { shape: [1, config.num_frames, D], kind: 'embedding-table' });
  layout.set('timesformer.embeddings.patch_embeddings.projection.weight', { shape: [D, config.num_channels, p, p], kind: 'patch-projection' });
  layout.set('timesformer.embeddings.patch_embeddings.projection.bias', { shape: [D], kind: 'vector' });
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const layer = `timesformer.encoder.layer.${i}`;
    layerNorm(`${layer}.layernorm_before`);
    linear(`${layer}.attention.attention.qkv`, D, 3 * D, config.qkv_bias);
    linear(`${layer}.attention.output.dense`, D, D);
    layerNorm(`${layer}.layernorm_after`);
    linear(`${layer}.intermediate.dense`, D, I);
    linear(`${layer}.output.dense`, I, D);
    if (config.attention_type === 'divided_space_time') {
      layerNorm(`${layer}.temporal_layernorm`);
      linear(`${layer}.temporal_attention.attention.qkv`, D, 3 * D, config.qkv_bias);
      linear(`${layer}.temporal_attention.output.dense`, D, D);
      linear(`${layer}.temporal_dense`, D, D);
    }
  }
  layerNorm('timesformer.layernorm');
  linear('classifier', D, numLabels(config));
  return layout;
}

/** Every key of an HF `TimesformerForVideoClassification` state dict for `config`, with its shape. */
export function expectedWeightShapes(config: TimesformerConfig): Map<string, number[]> {
  return new Map([...weightLayout(config)].map(([key, { shape }]) => [key, shape]));
}

/** A Linear with its weight stored transposed: y = x · weight + bias. */
interface Linear {
  weight: tf.Tensor; // [in, out]
  bias: tf.Tensor | undefined; // [out]
}

interface LayerNorm {
  weight: tf.Tensor; // [D]
  bias: tf.Tensor; // [D]
}

/** `…attention.attention.qkv` and `…attention.output.dense`. */
interface Attention {
  qkv: Linear; // [D, 3D]
  output: Linear; // [D, D]
}

interface Layer {
  layernorm_before: LayerNorm;
  attention: Attention;
  layernorm_after: LayerNorm;
  intermediate: Linear; // [D, I]
  output: Linear; // [I, D]
  /** divided_space_time only. */
  temporal_layernorm?: LayerNorm;
  temporal_attention?: Attention;
  temporal_dense?: Linear;
}

interface Embeddings {
  cls_token: tf.Tensor; // [1, D]
  position_embeddings: tf.Tensor; // [1 + N0, D]
  time_embeddings: tf.Tensor | undefined; // [T0, D]; not for space_only
  projection: Linear; // [C·p·p, D], rows in (channel, row, col) order
}

/** Moves one checkpoint tensor into the backend in the layout the forward pass wants. */
function toBackendTensor(kind: WeightKind, data: Float32Array, shape: number[]): tf.Tensor {
  return tf.tidy(() => {
    const tensor = tf.tensor(data, shape, 'float32');
    switch (kind) {
      case 'linear-weight':
        return tf.transpose(tensor); // [out, in] → [in, out]
      case 'patch-projection': {
        const [D, C, p] = shape as [number, number, number, number];
        return tf.transpose(tf.reshape(tensor, [D, C * p * p])); // [D, C, p, p] → [D, C·p·p] → [C·p·p, D]
      }
      case 'embedding-table':
        return tf.reshape(tensor, [shape[1]!, shape[2]!]); // [1, n, D] → [n, D]
      case 'vector':
        return tensor;
    }
  });
}

/** The shape `toBackendTensor` gives a stored tensor of `kind` and `shape`. */
function backendShape(kind: WeightKind, shape: readonly number[]): number[] {
  switch (kind) {
    case 'linear-weight':
      return [shape[1]!, shape[0]!];
    case 'patch-projection':
      return [shape[1]! * shape[2]! * shape[3]!, shape[0]!];
    case 'embedding-table':
      return [shape[1]!, shape[2]!];
    case 'vector':
      return [...shape];
  }
}

/**
 * Training only: the inverse of `toBackendTensor`, a backend-layout weight back to the HF stored
 * layout (Linear [out, in], projection [D, C, p, p], tables [1, n, D]) for writing a checkpoint.
 */
export function toStoredLayout(config: TimesformerConfig, key: string, tensor: tf.Tensor): tf.Tensor {
  const entry = weightLayout(config).get(key);
  if (entry === undefined) throw new Error(`toStoredLayout: ${key} is not a weight of this config`);
  return tf.tidy(() => (entry.kind === 'linear-weight' || entry.kind === 'patch-projection' ? tf.reshape(tf.transpose(tensor), entry.shape) : tf.reshape(tensor, entry.shape)));
}

/** Training only: a stored-layout array (as in a checkpoint) moved into the backend layout. */
export function toBackendLayout(config: TimesformerConfig, key: string, data: Float32Array): tf.Tensor {
  const entry = weightLayout(config).get(key);
  if (entry === undefined) throw new Error(`toBackendLayout: ${key} is not a weight of this config`);
  return toBackendTensor(entry.kind, data, entry.shape);
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** tf.tidy for functions returning typed records of tensors (tidy keeps every tensor in the result). */
function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as () => tf.TensorContainer) as T;
}

/** x [rows, in] → [rows, out]; one 2-D matMul, no transpose flags. */
function linear(x: tf.Tensor, layer: Linear): tf.Tensor {
  return tf.fused.matMul({ a: x as tf.Tensor2D, b: layer.weight as tf.Tensor2D, bias: layer.bias });
}

/** LayerNorm over the last axis with biased variance, as PyTorch. */
function layerNorm(x: tf.Tensor, norm: LayerNorm, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); // [rows, 1] each
    const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normalized, norm.weight), norm.bias);
  });
}

/** Exact GELU, 0.5·x·(1 + erf(x/√2)); tfjs has no GELU op, the tanh form would be off by ~1e-3. */
function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/**
 * Rows per block when a step runs block by block. At 96 frames × 197 tokens a layer's
 * temporaries are ~60–230 MB each and wasm's heap stops at 4 GB; in blocks of ~4096 tokens a
 * temporary is ≤ 50 MB. The matMuls stay large enough for XNNPACK.
 */
export const DEFAULT_BLOCK_TOKENS = 4096;

/** What one forward pass keeps besides the hidden state, and how it splits the work. */
interface Run {
  /** Per-head softmax probabilities, for `outputAttentions`. */
  probabilities: boolean;
  /** Their mean over heads, for the rollout. */
  headMean: boolean;
  /** Rows per block (`inSequenceBlocks`). */
  blockTokens: number;
}

/**
 * Runs `step` on consecutive row blocks of x [B·L, D] that hold whole sequences of `length`
 * rows (length 1: any rows), at most `run.blockTokens` rows or one sequence each, then
 * concatenates every field of the results along axis 0.
 */
function inSequenceBlocks<R extends Record<string, tf.Tensor | undefined>>(x: tf.Tensor, length: number, run: Run, step: (block: tf.Tensor, sequences: number) => R): R {
  const sequences = x.shape[0]! / length;
  const perBlock = Math.max(1, Math.floor(run.blockTokens / length));
  if (sequences <= perBlock) return tidy(() => step(x, sequences));
  return tidy(() => {
    const parts: R[] = [];
    for (let first = 0; first < sequences; first += perBlock) {
      const count = Math.min(perBlock, sequences - first);
      parts.push(tidy(() => step(tf.slice(x, [first * length, 0], [count * length, x.shape[1]!]), count))); // [count·L, D]
    }
    const joined: Record<string, tf.Tensor | undefined> = {};
    for (const key of Object.keys(parts[0]!)) {
      const pieces = parts.map((part) => part[key]).filter((piece): piece is tf.Tensor => piece !== undefined);
      joined[key] = pieces.length === 0 ? undefined : tf.concat(pieces, 0);
      tf.dispose(pieces);
    }
    return joined as R;
  });
}

/** X + fc2(GELU(fc1(LN(X)))), row block by row block. [rows, D] → [rows, D]. */
function residualMlp(x: tf.Tensor, layer: Layer, eps: number, run: Run): tf.Tensor {
  return inSequenceBlocks(x, 1, run, (block) => ({
    out: tf.add(block, linear(gelu(linear(layerNorm(block, layer.layernorm_after, eps), layer.intermediate)), layer.output)),
  })).out!;
}

// ---------------------------------------------------------------------------------------------
// Embeddings
// ---------------------------------------------------------------------------------------------

/** The clip's real size: T frames, a rows × cols patch grid (N = rows·cols). */
interface Grid {
  frames: number;
  rows: number;
  cols: number;
}

/**
 * pixel_values [1, T, C, H, W] → the layer input: divided / joint [1 + N·T, D]
 * (CLS, then token(n, t) at 1 + n·T + t), space_only [T·(1+N), D].
 *
 * Position and time embeddings are resampled with PyTorch's legacy nearest when the patch count
 * or frame count differs from the checkpoint's (interpolate.ts). As in HF and the official code
 * the position table is resampled only when the patch *count* differs.
 */
function embed(pixels: tf.Tensor, embeddings: Embeddings, config: TimesformerConfig, grid: Grid): tf.Tensor {
  return tf.tidy(() => {
    const { frames: T, rows, cols } = grid;
    const N = rows * cols;
    const C = config.num_channels;
    const p = config.patch_size;
    const D = config.hidden_size;
    // Patch embedding: the stride-p conv is a matMul over flattened (channel, row, col) patches.
    // Two 4-D transposes: wasm's transpose is ~20× slower at rank 5 and 6.
    const rowStrips = tf.reshape(pixels, [T * C * rows, p, cols, p]); // [1, T, C, H, W] → [T·C·Hp, p, Wp, p]
    const patchBlocks = tf.reshape(tf.transpose(rowStrips, [0, 2, 1, 3]), [T, C, N, p * p]); // → [T·C·Hp, Wp, p, p] → [T, C, N, p·p], n = row·Wp + col
    const flatPatches = tf.reshape(tf.transpose(patchBlocks, [0, 2, 1, 3]), [T * N, C * p * p]); // → [T, N, C, p·p] → [T·N, C·p·p], row t·N + n
    const tokens = tf.reshape(linear(flatPatches, embeddings.projection), [T, N, D]); // [T·N, D] → [T, N, D]

    // Position embeddings: entry 0 for the CLS, 1 + n for patch n, the same for every frame.
    const grid0 = config.image_size / p;
    const N0 = grid0 * grid0;
    let positions = tf.slice(embeddings.position_embeddings, [1, 0], [N0, D]); // [N0, D]
    if (N !== N0) {
      const map = positionIndexMap(grid0, rows, cols); // N source patches
      positions = tf.gather(positions, tf.tensor1d(map, 'int32')); // [N0, D] → [N, D]
    }
    const cls = tf.add(embeddings.cls_token, tf.slice(embeddings.position_embeddings, [0, 0], [1, D])); // [1, D]
    const patches = tf.add(tokens, positions); // [T, N, D] + [N, D]

    if (config.attention_type === 'space_only') {
      const clsPerFrame = tf.broadcastTo(tf.reshape(cls, [1, 1, D]), [T, 1, D]); // [T, 1, D]
      return tf.reshape(tf.concat([clsPerFrame, patches], 1), [T * (1 + N), D]); // [T, 1+N, D] → [T·(1+N), D]
    }

    // Time embeddings: entry t for every patch token of frame t; none for the CLS.
    let time = embeddings.time_embeddings!; // [T0, D]
    if (T !== config.num_frames) time = tf.gather(time, tf.tensor1d(timeIndexMap(config.num_frames, T), 'int32')); // [T0, D] → [T, D]
    const patchMajor = tf.add(tf.transpose(patches, [1, 0, 2]), time); // [T, N, D] → [N, T, D], + [T, D]
    return tf.concat([cls, tf.reshape(patchMajor, [N * T, D])], 0); // [1 + N·T, D]
  });
}

// ---------------------------------------------------------------------------------------------
// Attention
// ---------------------------------------------------------------------------------------------

type AttentionResult = {
  output: tf.Tensor; // [B·L, D]
  probabilities: tf.Tensor | undefined; // [B, heads, L, L]
  headMean: tf.Tensor | undefined; // [B, L, L]
};

/**
 * Multi-head self-attention of LN(x) over independent sequences of `length` tokens.
 * x [B·L, D] (sequence-major) → output [B·L, D], after `output.dense`. Runs in blocks of whole
 * sequences (`inSequenceBlocks`).
 *
 * Inside, the batch axis is (head, sequence), not (sequence, head): that needs only 4-D and 3-D
 * transposes (wasm's rank-5 transpose costs as much as the qkv matMul).
 */
function attention(x: tf.Tensor, norm: LayerNorm, weights: Attention, length: number, config: TimesformerConfig, run: Run): AttentionResult {
  const heads = config.num_attention_heads;
  const D = config.hidden_size;
  const d = D / heads;
  return inSequenceBlocks(x, length, run, (block, B) => {
    const qkv = tf.reshape(linear(layerNorm(block, norm, config.layer_norm_eps), weights.qkv), [B * length, 3, heads, d]); // [B·L, 3D] → [B·L, 3, h, d]
    const [q, k, v] = tf.unstack(tf.transpose(qkv, [1, 2, 0, 3])).map((part) => tf.reshape(part, [heads * B, length, d])) as [tf.Tensor, tf.Tensor, tf.Tensor]; // → [3, h, B·L, d] → 3 × [h·B, L, d]
    // Batched matMuls: wasm's scalar path (see the file header).
    const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d)); // [h·B, L, L]
    const probabilities = tf.softmax(scores); // [h·B, L, L], over the last axis
    const context = tf.reshape(tf.matMul(probabilities, v), [heads, B * length, d]); // [h·B, L, d] → [h, B·L, d]
    const merged = tf.reshape(tf.transpose(context, [1, 0, 2]), [B * length, D]); // → [B·L, h, d] → [B·L, D] (head-major)
    const byHead = tf.reshape(probabilities, [heads, B, length, length]); // [h, B, L, L]
    return {
      output: linear(merged, weights.output), // [B·L, D]
      probabilities: run.probabilities ? tf.transpose(byHead, [1, 0, 2, 3]) : undefined, // → [B, h, L, L]
      headMean: run.headMean ? tf.mean(byHead, 0) : undefined, // → [B, L, L]
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Layers (pre-LN). Each takes and returns the 2-D hidden state; the caller disposes the input.
// ---------------------------------------------------------------------------------------------

/** Per-layer attention probabilities, named as the fixtures' `layers.i.*` tensors. */
export interface LayerAttention {
  /** divided: `layers.i.temporal_attention` [N, heads, T, T], batch row n = patch h·Wp + w. */
  temporal?: tf.Tensor;
  /** divided: `layers.i.spatial_attention` [T, heads, 1+N, 1+N], token 0 = CLS. */
  spatial?: tf.Tensor;
  /** `layers.i.attention`: joint [1, heads, 1+N·T, 1+N·T]; space_only [T, heads, 1+N, 1+N]. */
  joint?: tf.Tensor;
}

type LayerResult = {
  hidden: tf.Tensor;
  attention: LayerAttention;
  /** Head means for the rollout: divided {temporal [N,T,T], spatial [T,P,P]}; joint [1,S,S]; space_only [T,P,P]. */
  means: { temporal?: tf.Tensor | undefined; spatial?: tf.Tensor | undefined; joint?: tf.Tensor | undefined };
};

/**
 * joint_space_time (x [1 + N·T, D], one sequence) and space_only (x [T·(1+N), D], T sequences):
 * X + MHA(LN(X)), then X + MLP(LN(X)).
 */
function plainLayer(x: tf.Tensor, layer: Layer, config: TimesformerConfig, length: number, run: Run): LayerResult {
  return tidy(() => {
    const a = attention(x, layer.layernorm_before, layer.attention, length, config, run);
    const h = tf.add(x, a.output); // [rows, D]
    return {
      hidden: residualMlp(h, layer, config.layer_norm_eps, run),
      attention: { joint: a.probabilities },
      means: { joint: a.headMean },
    };
  });
}

/**
 * divided_space_time: temporal attention per patch over its T tokens (+ `temporal_dense`,
 * residual), then spatial attention per frame over [CLS, its N patches], the CLS output averaged
 * over frames, then the MLP. x [1 + N·T, D]. Each step is its own tidy scope so that a 96-frame
 * layer holds only a few [N·T, D] tensors at a time.
 */
function dividedLayer(x: tf.Tensor, layer: Layer, config: TimesformerConfig, grid: Grid, run: Run): LayerResult {
  return tidy(() => dividedSteps(x, layer, config, grid, run));
}

function dividedSteps(x: tf.Tensor, layer: Layer, config: TimesformerConfig, grid: Grid, run: Run): LayerResult {
  const { frames: T } = grid;
  const N = grid.rows * grid.cols;
  const D = config.hidden_size;

  // Temporal step: P' = P + temporal_dense(MHA_t(LN_t(P))) over N sequences of T (rows n·T + t).
  const temporal = tidy(() => {
    const patches = tf.slice(x, [1, 0], [N * T, D]); // [N·T, D]
    const t = attention(patches, layer.temporal_layernorm!, layer.temporal_attention!, T, config, run);
    return { patches: tf.add(patches, linear(t.output, layer.temporal_dense!)), probabilities: t.probabilities, headMean: t.headMean }; // P' [N·T, D]
  });

  // Spatial step: per frame, [c, P'(0, t), …, P'(N-1, t)]; c' = c + mean_t Y_t[0], P'' = P' + Y_t[1+n].
  const spatial = tidy(() => {
    const cls = tf.slice(x, [0, 0], [1, D]); // [1, D]
    const byFrame = tf.transpose(tf.reshape(temporal.patches, [N, T, D]), [1, 0, 2]); // [N·T, D] → [N, T, D] → [T, N, D]
    const clsPerFrame = tf.broadcastTo(tf.reshape(cls, [1, 1, D]), [T, 1, D]); // [T, 1, D]
    const sequences = tf.reshape(tf.concat([clsPerFrame, byFrame], 1), [T * (1 + N), D]); // [T, 1+N, D] → [T·(1+N), D]
    const s = attention(sequences, layer.layernorm_before, layer.attention, 1 + N, config, run);
    const y = tf.reshape(s.output, [T, 1 + N, D]); // [T·(1+N), D] → [T, 1+N, D]
    const clsUpdate = tf.mean(tf.reshape(tf.slice(y, [0, 0, 0], [T, 1, D]), [T, D]), 0, true); // [T, 1, D] → [T, D] → [1, D]
    const patchUpdate = tf.reshape(tf.transpose(tf.slice(y, [0, 1, 0], [T, N, D]), [1, 0, 2]), [N * T, D]); // [T, N, D] → [N, T, D] → [N·T, D]
    const h = tf.concat([tf.add(cls, clsUpdate), tf.add(temporal.patches, patchUpdate)], 0); // [1 + N·T, D]
    return { h, probabilities: s.probabilities, headMean: s.headMean };
  });
  temporal.patches.dispose();

  const hidden = residualMlp(spatial.h, layer, config.layer_norm_eps, run);
  spatial.h.dispose();
  return {
    hidden,
    attention: { temporal: temporal.probabilities, spatial: spatial.probabilities },
    means: { temporal: temporal.headMean, spatial: spatial.headMean },
  };
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

export interface ForwardOptions {
  /** Per-layer, per-head attention probabilities (`attentions`). Large at 96 frames. */
  outputAttentions?: boolean;
  /** The attention-rollout heatmap (`rollout`, `rolloutRaw`). Keeps only head means per layer. */
  outputRollout?: boolean;
  /** The embedding output and every layer's output (`hiddenStates`). */
  outputHiddenStates?: boolean;
  /**
   * Rows per block for the attention and MLP steps (default 4096, at least one whole sequence).
   * Smaller lowers peak memory; results are the same up to float32 rounding.
   */
  blockTokens?: number;
  /**
   * Called after each layer with (layers done, layers in all). The forward pass is synchronous
   * on the cpu and wasm backends, so this is the only way to show progress through one long clip.
   */
  onLayer?: (done: number, total: number) => void;
}

export interface TimeSformerOutput {
  /** [1, labels]; space_only: [T, labels] (per frame, as HF). */
  logits: tf.Tensor;
  /** Final LayerNorm output, all tokens: [1, 1 + N·T, D]; space_only [T, 1+N, D]. */
  lastHiddenState: tf.Tensor;
  /** k = 0: embedding output; k = i+1: output of layer i (before the final LayerNorm). Same shapes. */
  hiddenStates?: tf.Tensor[];
  attentions?: LayerAttention[];
  /** [T, Hp, Wp], divided by its maximum. */
  rollout?: tf.Tensor;
  /** [T, Hp, Wp] before that division. */
  rolloutRaw?: tf.Tensor;
  /** Disposes every tensor above. */
  dispose(): void;
}

export class TimeSformer {
  readonly config: TimesformerConfig;
  private readonly weights: Map<string, tf.Tensor>;
  private readonly embeddings: Embeddings;
  private readonly layers: Layer[];
  private readonly finalNorm: LayerNorm;
  private readonly classifier: Linear;
  private disposed = false;

  private constructor(config: TimesformerConfig, weights: Map<string, tf.Tensor>) {
    this.config = config;
    this.weights = weights;
    const get = (key: string): tf.Tensor => {
      const tensor = weights.get(key);
      if (tensor === undefined) throw new Error(`internal: weight ${key} not loaded`);
      return tensor;
    };
    const linearAt = (name: string): Linear => ({ weight: get(`${name}.weight`), bias: weights.get(`${name}.bias`) });
    const normAt = (name: string): LayerNorm => ({ weight: get(`${name}.weight`), bias: get(`${name}.bias`) });
    const attentionAt = (name: string): Attention => ({ qkv: linearAt(`${name}.attention.qkv`), output: linearAt(`${name}.output.dense`) });
    this.embeddings = {
      cls_token: get('timesformer.embeddings.cls_token'),
      position_embeddings: get('timesformer.embeddings.position_embeddings'),
      time_embeddings: weights.get('timesformer.embeddings.time_embeddings'),
      projection: linearAt('timesformer.embeddings.patch_embeddings.projection'),
    };
    this.layers = Array.from({ length: config.num_hidden_layers }, (_, i) => {
      const prefix = `timesformer.encoder.layer.${i}`;
      const layer: Layer = {
        layernorm_before: normAt(`${prefix}.layernorm_before`),
        attention: attentionAt(`${prefix}.attention`),
        layernorm_after: normAt(`${prefix}.layernorm_after`),
        intermediate: linearAt(`${prefix}.intermediate.dense`),
        output: linearAt(`${prefix}.output.dense`),
      };
      if (config.attention_type === 'divided_space_time') {
        layer.temporal_layernorm = normAt(`${prefix}.temporal_layernorm`);
        layer.temporal_attention = attentionAt(`${prefix}.temporal_attention`);
        layer.temporal_dense = linearAt(`${prefix}.temporal_dense`);
      }
      return layer;
    });
    this.finalNorm = normAt('timesformer.layernorm');
    this.classifier = linearAt('classifier');
  }

  /**
   * Checks every key and shape (ModelError naming the keys), then moves the weights into the
   * current backend one at a time: read → tensor → the array is dropped. Linear weights are
   * transposed to [in, out] here, once.
   */
  static load(config: TimesformerConfig, source: TensorSource, origin: string): TimeSformer {
    const layout = weightLayout(config);
    checkWeights(source, expectedWeightShapes(config), origin);
    const weights = new Map<string, tf.Tensor>();
    try {
      for (const [key, { shape, kind }] of layout) {
        weights.set(key, tf.keep(toBackendTensor(kind, source.entries.get(key)!.read(), shape)));
      }
    } catch (error) {
      for (const tensor of weights.values()) tensor.dispose();
      throw error;
    }
    return new TimeSformer(config, weights);
  }

  /**
   * Training (src/training) only: a model over weights already in the backend layout that
   * `toBackendTensor` makes (Linear [in, out], patch projection [C·p·p, D], tables [n, D]),
   * keyed by HF name. The tensors may be tf.Variables so an optimizer can update them in place;
   * the caller keeps ownership (dispose() would free them). Throws if a key or shape is wrong.
   */
  static fromBackendWeights(config: TimesformerConfig, weights: ReadonlyMap<string, tf.Tensor>): TimeSformer {
    const layout = weightLayout(config);
    for (const [key, { shape, kind }] of layout) {
      const tensor = weights.get(key);
      const expected = backendShape(kind, shape);
      if (tensor === undefined || tensor.shape.join(',') !== expected.join(',')) {
        throw new Error(`fromBackendWeights: ${key} must be [${expected.join(', ')}], got ${tensor === undefined ? 'nothing' : `[${tensor.shape.join(', ')}]`}`);
      }
    }
    return new TimeSformer(config, new Map([...layout.keys()].map((key) => [key, weights.get(key)!])));
  }

  /** Training only: the weights in backend layout by HF key, in `expectedWeightShapes` order (not copies). */
  backendWeights(): ReadonlyMap<string, tf.Tensor> {
    return this.weights;
  }

  parameterCount(): number {
    let count = 0;
    for (const tensor of this.weights.values()) count += tensor.size;
    return count;
  }

  dispose(): void {
    for (const tensor of this.weights.values()) tensor.dispose();
    this.weights.clear();
    this.disposed = true;
  }

  /** Validates pixel_values [1, T, C, H, W] and returns the clip's grid. */
  private inputGrid(pixelValues: tf.Tensor): Grid {
    const { num_channels: C, patch_size: p } = this.config;
    const shape = pixelValues.shape;
    if (shape.length !== 5) throw new LongviewError('input', 'bad-input', `pixel_values must be [1, T, ${C}, H, W] (rank 5), got rank ${shape.length} [${shape.join(', ')}]`);
    const [batch, frames, channels, height, width] = shape as [number, number, number, number, number];
    if (batch !== 1) throw new LongviewError('input', 'bad-input', `pixel_values must hold one clip (batch 1), got batch ${batch}; run clips one at a time`);
    if (channels !== C) throw new LongviewError('input', 'bad-input', `pixel_values has ${channels} channels at axis 2 ([1, T, C, H, W]), the model expects ${C}`);
    if (frames < 1) throw new LongviewError('input', 'bad-input', 'pixel_values has no frames');
    if (height < p || width < p || height % p !== 0 || width % p !== 0) {
      throw new LongviewError('input', 'bad-input', `frame size ${height}×${width} must be a positive multiple of the patch size ${p}`);
    }
    if (pixelValues.dtype !== 'float32') throw new LongviewError('input', 'bad-input', `pixel_values must be float32, got ${pixelValues.dtype}`);
    return { frames, rows: height / p, cols: width / p };
  }

  /**
   * One clip, pixel_values [1, T, C, H, W] (HF layout, already normalized). Runs its own tidy
   * scopes: everything it creates except the returned tensors is disposed, even on error.
   */
  forward(pixelValues: tf.Tensor, options: ForwardOptions = {}): TimeSformerOutput {
    if (this.disposed) throw new Error('TimeSformer.forward after dispose()');
    const grid = this.inputGrid(pixelValues);
    const config = this.config;
    const type = config.attention_type;
    const { frames: T, rows, cols } = grid;
    const N = rows * cols;
    const D = config.hidden_size;
    const outputShape = type === 'space_only' ? [T, 1 + N, D] : [1, 1 + N * T, D];
    const blockTokens = options.blockTokens ?? DEFAULT_BLOCK_TOKENS;
    if (!Number.isSafeInteger(blockTokens) || blockTokens < 1) throw new RangeError(`blockTokens must be a positive integer, got ${blockTokens}`);
    const run: Run = { probabilities: options.outputAttentions === true, headMean: options.outputRollout === true, blockTokens };

    const hiddenStates: tf.Tensor[] = [];
    const attentions: LayerAttention[] = [];
    const means: LayerResult['means'][] = [];
    let hidden: tf.Tensor | undefined;
    const output: Partial<TimeSformerOutput> = {};
    try {
      hidden = embed(pixelValues, this.embeddings, config, grid); // [rows, D]
      if (options.outputHiddenStates === true) hiddenStates.push(tf.reshape(hidden, outputShape));
      for (const [index, layer] of this.layers.entries()) {
        const result: LayerResult =
          type === 'divided_space_time'
            ? dividedLayer(hidden, layer, config, grid, run)
            : type === 'joint_space_time'
              ? plainLayer(hidden, layer, config, 1 + N * T, run)
              : plainLayer(hidden, layer, config, 1 + N, run);
        hidden.dispose();
        hidden = result.hidden;
        if (run.probabilities) attentions.push(result.attention);
        if (run.headMean) means.push(result.means);
        if (options.outputHiddenStates === true) hiddenStates.push(tf.reshape(hidden, outputShape));
        options.onLayer?.(index + 1, this.layers.length);
      }

      const last = hidden;
      const head = tf.tidy(() => {
        const normalized = layerNorm(last, this.finalNorm, config.layer_norm_eps); // [rows, D]
        // The CLS row: divided / joint row 0 → [1, D]; space_only row t·(1+N) of every frame → [T, D].
        const clsRows = type === 'space_only' ? tf.reshape(tf.slice(tf.reshape(normalized, [T, 1 + N, D]), [0, 0, 0], [T, 1, D]), [T, D]) : tf.slice(normalized, [0, 0], [1, D]);
        return { logits: linear(clsRows, this.classifier), lastHiddenState: tf.reshape(normalized, outputShape) };
      });
      output.logits = head.logits;
      output.lastHiddenState = head.lastHiddenState;

      if (run.headMean) {
        const raw =
          type === 'divided_space_time'
            ? dividedRollout(means.map((m) => ({ temporal: m.temporal!, spatial: m.spatial! }) satisfies DividedHeadMeans), rows, cols)
            : type === 'joint_space_time'
              ? jointRollout(means.map((m) => m.joint!), T, rows, cols)
              : spaceOnlyRollout(means.map((m) => m.joint!), rows, cols);
        output.rolloutRaw = raw;
        output.rollout = normalizeByMax(raw);
      }
    } catch (error) {
      disposeAll([...hiddenStates, ...attentions.flatMap(attentionTensors), ...Object.values(output).filter(isTensor)]);
      throw error;
    } finally {
      hidden?.dispose();
      disposeAll(means.flatMap((m) => [m.temporal, m.spatial, m.joint]));
    }

    const result: TimeSformerOutput = {
      logits: output.logits,
      lastHiddenState: output.lastHiddenState,
      dispose: () => disposeAll([result.logits, result.lastHiddenState, result.rollout, result.rolloutRaw, ...(result.hiddenStates ?? []), ...(result.attentions ?? []).flatMap(attentionTensors)]),
    };
    if (options.outputHiddenStates === true) result.hiddenStates = hiddenStates;
    if (run.probabilities) result.attentions = attentions;
    if (output.rollout !== undefined) {
      result.rollout = output.rollout;
      result.rolloutRaw = output.rolloutRaw;
    }
    return result;
  }
}

function isTensor(value: unknown): value is tf.Tensor {
  return value instanceof tf.Tensor;
}

function attentionTensors(layer: LayerAttention): (tf.Tensor | undefined)[] {
  return [layer.temporal, layer.spatial, layer.joint];
}

function disposeAll(tensors: readonly (tf.Tensor | undefined)[]): void {
  for (const tensor of tensors) if (tensor !== undefined && !tensor.isDisposed) tensor.dispose();
}
