/**
 * A temporal-difference prior for a TimeSformer trained from scratch: two heads of the first
 * layer's temporal attention start out looking one frame ahead and one frame back.
 *
 * Why: the demo classes come in pairs that differ only in the order of frames (moving left/right,
 * growing/shrinking). With every attention starting uniform, "what did this patch look like a
 * frame later?" is a product of two pieces that are both ~0 (an attention pattern that depends on
 * time, and a readout of it), so its gradient is second order and training sat on that saddle:
 * runs of 700 steps learned every order-free class and predicted left for right. With the
 * shift in place from step one, next-frame content minus this frame's is a linear feature of the
 * token, and the readout gets a first-order gradient.
 *
 * How:
 * - Attention: the time table starts as sine–cosine codes (sincos-embeddings.ts), code(t) holding
 *   (sin ω_k t, cos ω_k t) at dims (k, D/2 + k). Rotating each pair by ω_k·s maps code(t) to
 *   code(t + s), so with queries = α·rotate_s(code) and keys = code a head scores frame t' by
 *   α·Σ_k cos(ω_k (t + s − t')), largest at t' = t + s. Eight of the highest frequencies (periods
 *   of 6–16 frames) fill a 16-wide head.
 * - Values and the way back: with the HF initialisation the head's output passes three Linears of
 *   std 0.02 (value, output.dense, temporal_dense) and arrives ~250× smaller than the token, which
 *   is the saddle again. So both heads' values copy the first d dims of LN(x), output.dense writes
 *   head(+1) − head(−1) into the last d dims, and temporal_dense passes those dims through: each
 *   token starts with the central difference LN(x)(t+1) − LN(x)(t−1) of its patch, the motion
 *   signal, added to its last d dims.
 * The other heads and every other weight keep the HF initialisation, and all of it is trained;
 * only the starting point changes.
 */
import type { TimesformerConfig } from '../model/config.js';

/** Frequencies per head: eight (sin, cos) pairs fill a head of 16 dims. */
const PAIRS_PER_HEAD = 8;

/** Query gain α: a one-frame step then moves the score by ≈ 4 (e^4 ≈ 55× the weight of the frame itself). */
const QUERY_GAIN = 3;

/** The frame offsets the first heads look at: head 0 one frame ahead, head 1 one frame back. */
export const SHIFT_OFFSETS = [1, -1] as const;

/**
 * Rewrites layer 0's `temporal_attention.attention.qkv.weight` (stored [3D, D], rows q | k | v,
 * head h at rows h·d … h·d + d − 1 of each), `temporal_attention.output.dense.weight` and
 * `temporal_dense.weight` (stored [out, in]) in `stored`, in place. `timeFrequency(k)` is ω_k of
 * the time table's pair k. Needs divided attention, head size 2·PAIRS_PER_HEAD and two heads.
 */
export function applyTemporalShiftHeads(config: TimesformerConfig, stored: Map<string, Float32Array>, timeFrequency: (pair: number) => number): void {
  const D = config.hidden_size;
  const heads = config.num_attention_heads;
  const d = D / heads;
  if (config.attention_type !== 'divided_space_time') throw new Error('applyTemporalShiftHeads: needs divided_space_time attention');
  if (d !== 2 * PAIRS_PER_HEAD) throw new Error(`applyTemporalShiftHeads: head size must be ${2 * PAIRS_PER_HEAD}, got ${d}`);
  if (heads < SHIFT_OFFSETS.length) throw new Error(`applyTemporalShiftHeads: needs ${SHIFT_OFFSETS.length} heads, got ${heads}`);
  const prefix = 'timesformer.encoder.layer.0';
  const matrix = (name: string, rows: number): ((row: number, column: number, value: number) => void) & { clearRow(row: number): void } => {
    const key = `${prefix}.${name}.weight`;
    const weight = stored.get(key);
    if (weight === undefined || weight.length !== rows * D) throw new Error(`applyTemporalShiftHeads: ${key} missing or not [${rows}, ${D}]`);
    const set = (row: number, column: number, value: number): void => {
      weight[row * D + column] = value; // [out, in]
    };
    return Object.assign(set, { clearRow: (row: number) => weight.fill(0, row * D, (row + 1) * D) });
  };
  const qkv = matrix('temporal_attention.attention.qkv', 3 * D);
  const output = matrix('temporal_attention.output.dense', D);
  const passThrough = matrix('temporal_dense', D);
  SHIFT_OFFSETS.forEach((offset, head) => {
    const queryRow = head * d;
    const keyRow = D + head * d;
    const valueRow = 2 * D + head * d;
    for (let row = 0; row < d; row++) {
      qkv.clearRow(queryRow + row);
      qkv.clearRow(keyRow + row);
      qkv.clearRow(valueRow + row);
      qkv(valueRow + row, row, 1); // value = LN(x)[0 … d−1]
    }
    for (let pair = 0; pair < PAIRS_PER_HEAD; pair++) {
      const sine = pair; // input dims of the time code's pair
      const cosine = D / 2 + pair;
      const angle = timeFrequency(pair) * offset;
      // q_sin = α(cos a·x_sin + sin a·x_cos) = α·sin(ω(t + s)); q_cos = α(−sin a·x_sin + cos a·x_cos) = α·cos(ω(t + s)).
      qkv(queryRow + 2 * pair, sine, QUERY_GAIN * Math.cos(angle));
      qkv(queryRow + 2 * pair, cosine, QUERY_GAIN * Math.sin(angle));
      qkv(queryRow + 2 * pair + 1, sine, -QUERY_GAIN * Math.sin(angle));
      qkv(queryRow + 2 * pair + 1, cosine, QUERY_GAIN * Math.cos(angle));
      qkv(keyRow + 2 * pair, sine, 1);
      qkv(keyRow + 2 * pair + 1, cosine, 1);
    }
  });
  // Residual dims D−d … D−1 receive head(+1) − head(−1), passed through temporal_dense unchanged.
  for (let row = 0; row < d; row++) {
    const target = D - d + row;
    output.clearRow(target);
    output(target, row, 1); // head 0 (t + 1), merged column = row
    output(target, d + row, -1); // head 1 (t − 1), merged column = d + row
    passThrough.clearRow(target);
    passThrough(target, target, 1);
  }
}
