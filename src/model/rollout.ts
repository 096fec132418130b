/**
 * Attention rollout (Abnar & Zuidema 2020), as test/fixtures/timesformer/README.md "Attention
 * rollout" defines it: divided space-time after yiyixuxu/TimeSformer-rolled-attention, and the
 * same recipe for joint and space_only.
 *
 * The README's definition multiplies (P·T)×(P·T) matrices, R = M_L ⋯ M_1, and keeps only the CLS
 * row. At 96 frames × 197 tokens that is an 18912² matrix (1.4 GB) per layer, so we never build
 * it. The CLS row of R is a row vector pushed through the layers from the top:
 *
 *     raw = e · M_L · M_{L-1} ⋯ M_1,    e[p, t] = (p = 0 ? 1/T : 0)   (the mean of the T CLS rows)
 *
 * and one step v ← v · M_l follows from M_l's structure. With W[p, t, k, q] = Ŝ[t, p, k] · T̂[k, t, q]
 * and the CLS rows replaced by their mean over t:
 *
 *     (v·M)[k, q] = Σ_{p≠0, t} v[p, t] Ŝ[t, p, k] T̂[k, t, q]  +  Σ_t v[0, t] · (1/T) Σ_t' Ŝ[t', 0, k] T̂[k, t', q]
 *                 = Σ_t Σ_p v'[p, t] Ŝ[t, p, k] T̂[k, t, q],   where v'[0, t] = (Σ_t v[0, t]) / T, v'[p≠0] = v[p]
 *
 * so, per layer: fold the CLS entries into their mean, then
 *
 *     u[t, k]   = Σ_p v'[p, t] · Ŝ[t, p, k]      batched over t: [T, 1, P] × [T, P, P]
 *     out[k, q] = Σ_t u[t, k] · T̂[k, t, q]       batched over k: [P, 1, T] × [P, T, T]
 *
 * Cost per layer is O(T·P² + P·T²) and memory is the head-averaged matrices only. Every function
 * here takes per-layer head means (what `TimeSformer.forward` keeps when a rollout is requested) and
 * returns `rollout_raw` [T, Hp, Wp]; `normalizeByMax` gives `rollout`.
 *
 * The batched matMuls here take wasm's scalar path (batch > 1), which is fine at these sizes
 * (≈ 4 M multiply-adds per layer at 96 frames × 197 tokens).
 */
import * as tf from '@tensorflow/tfjs';

/** Head-averaged attention of one divided space-time layer. */
export interface DividedHeadMeans {
  /** [N, T, T]: temporal attention, batch row n = patch h·Wp + w. */
  temporal: tf.Tensor;
  /** [T, 1+N, 1+N]: spatial attention, batch row t = frame, token 0 = CLS. */
  spatial: tf.Tensor;
}

/** (A + I) / (row sums of A + I) over the last two axes of [..., n, n]: the residual connection. */
export function addIdentityAndNormalize(attention: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const size = attention.shape[attention.shape.length - 1]!;
    const withResidual = tf.add(attention, tf.eye(size)); // [..., n, n]
    return tf.div(withResidual, tf.sum(withResidual, -1, true)); // [..., n, n], rows sum to 1
  });
}

/**
 * rollout_raw [T, rows, cols] for divided space-time attention. `layers` are in model order
 * (layer 0 first); rows · cols must equal N.
 */
export function dividedRollout(layers: readonly DividedHeadMeans[], rows: number, cols: number): tf.Tensor3D {
  if (layers.length === 0) throw new Error('dividedRollout: no layers');
  return tf.tidy(() => {
    const [patches, frames] = layers[0]!.temporal.shape as [number, number, number];
    const tokens = patches + 1; // P = 1 + N
    if (patches !== rows * cols) throw new Error(`dividedRollout: ${patches} patches is not a ${rows}×${cols} grid`);
    const clsIdentity = tf.reshape(tf.eye(frames), [1, frames, frames]); // [1, T, T]: the CLS takes no part in temporal attention
    // v[p, t], start: the mean of the T CLS rows.
    let v: tf.Tensor = tf.concat([tf.fill([1, frames], 1 / frames), tf.zeros([patches, frames])], 0); // [P, T]
    for (let layer = layers.length - 1; layer >= 0; layer--) {
      const { temporal, spatial } = layers[layer]!;
      const next = tf.tidy(() => {
        const spatialHat = addIdentityAndNormalize(spatial); // Ŝ [T, P, P]
        const temporalHat = addIdentityAndNormalize(tf.concat([clsIdentity, temporal], 0)); // T̂ [P, T, T]
        // Fold the CLS rows: v'[0, t] = mean_t v[0, t].
        const clsMean = tf.mean(tf.slice(v, [0, 0], [1, frames]), 1, true); // [1, 1]
        const folded = tf.concat([tf.broadcastTo(clsMean, [1, frames]), tf.slice(v, [1, 0], [patches, frames])], 0); // v' [P, T]
        // u[t, k] = Σ_p v'[p, t] Ŝ[t, p, k]
        const u = tf.matMul(tf.reshape(tf.transpose(folded), [frames, 1, tokens]), spatialHat); // [T, 1, P] × [T, P, P] → [T, 1, P]
        // out[k, q] = Σ_t u[t, k] T̂[k, t, q]
        const uByToken = tf.reshape(tf.transpose(tf.reshape(u, [frames, tokens])), [tokens, 1, frames]); // [T, P] → [P, T] → [P, 1, T]
        return tf.reshape(tf.matMul(uByToken, temporalHat), [tokens, frames]); // [P, 1, T] × [P, T, T] → [P, 1, T] → [P, T]
      });
      v.dispose();
      v = next;
    }
    // raw[n, q] = v[1+n, q]; rollout_raw[q, h, w] = raw[h·Wp + w, q].
    const raw = tf.transpose(tf.slice(v, [1, 0], [patches, frames])); // [N, T] → [T, N]
    return tf.reshape(raw, [frames, rows, cols]); // [T, Hp, Wp]
  });
}

/**
 * rollout_raw [T, rows, cols] for joint space-time attention. Each layer is the head mean
 * [S, S] (or [1, S, S]) over the sequence [CLS, token(n, t) at 1 + n·T + t].
 */
export function jointRollout(layers: readonly tf.Tensor[], frames: number, rows: number, cols: number): tf.Tensor3D {
  if (layers.length === 0) throw new Error('jointRollout: no layers');
  return tf.tidy(() => {
    const patches = rows * cols;
    const length = 1 + patches * frames; // S
    let v: tf.Tensor = tf.concat([tf.ones([1, 1]), tf.zeros([1, length - 1])], 1); // [1, S], e_0: the CLS row
    for (let layer = layers.length - 1; layer >= 0; layer--) {
      const attention = layers[layer]!;
      if (attention.size !== length * length) throw new Error(`jointRollout: layer ${layer} has shape [${attention.shape.join(', ')}], expected [${length}, ${length}]`);
      const next = tf.tidy(() => tf.matMul(v, addIdentityAndNormalize(tf.reshape(attention, [length, length])))); // [1, S] × [S, S] → [1, S]
      v.dispose();
      v = next;
    }
    const raw = tf.transpose(tf.reshape(tf.slice(v, [0, 1], [1, patches * frames]), [patches, frames])); // [1, N·T] → [N, T] → [T, N]
    return tf.reshape(raw, [frames, rows, cols]); // [T, Hp, Wp]
  });
}

/** rollout_raw [T, rows, cols] for space_only attention; each layer is the head mean [T, 1+N, 1+N]. */
export function spaceOnlyRollout(layers: readonly tf.Tensor[], rows: number, cols: number): tf.Tensor3D {
  if (layers.length === 0) throw new Error('spaceOnlyRollout: no layers');
  return tf.tidy(() => {
    const [frames, tokens] = layers[0]!.shape as [number, number, number];
    const patches = rows * cols;
    if (tokens !== patches + 1) throw new Error(`spaceOnlyRollout: ${tokens} tokens is not CLS + a ${rows}×${cols} grid`);
    let v: tf.Tensor = tf.concat([tf.ones([frames, 1, 1]), tf.zeros([frames, 1, patches])], 2); // [T, 1, P]: each frame's CLS row
    for (let layer = layers.length - 1; layer >= 0; layer--) {
      const next = tf.tidy(() => tf.matMul(v, addIdentityAndNormalize(layers[layer]!))); // [T, 1, P] × [T, P, P] → [T, 1, P]
      v.dispose();
      v = next;
    }
    return tf.reshape(tf.slice(v, [0, 0, 1], [frames, 1, patches]), [frames, rows, cols]); // [T, 1, N] → [T, Hp, Wp]
  });
}

/** `rollout` = rollout_raw / max(rollout_raw), over all frames. */
export function normalizeByMax(raw: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(raw, tf.max(raw)));
}
