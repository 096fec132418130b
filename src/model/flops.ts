/**
 * Matmul FLOPs of one TimeSformer forward (2·M·N·K per product, attention's QKᵀ and AV included;
 * LayerNorm, softmax and GELU are not counted). Used to turn benchmark times into GFLOP/s.
 */
import type { TimesformerConfig } from './config.js';

export interface ForwardShape {
  /** Input frames T. */
  frames: number;
  /** Input height and width in pixels. */
  height: number;
  width: number;
}

export function forwardFlops(config: TimesformerConfig, input: ForwardShape): number {
  const { hidden_size: D, num_attention_heads: heads, intermediate_size: M, patch_size: p, num_channels: C } = config;
  const T = input.frames;
  const N = (input.height / p) * (input.width / p);
  const d = D / heads;
  const dense = (rows: number, inputs: number, outputs: number): number => 2 * rows * inputs * outputs;
  // One attention: qkv, QKᵀ and AV over `batch` sequences of `length` tokens, then the output projection.
  const attention = (batch: number, length: number): number =>
    dense(batch * length, D, 3 * D) + 2 * (2 * batch * heads * length * length * d) + dense(batch * length, D, D);

  const embedding = dense(T * N, C * p * p, D);
  let layer: number;
  switch (config.attention_type) {
    case 'divided_space_time':
      layer =
        attention(N, T) + dense(N * T, D, D) /* temporal_dense */ + attention(T, 1 + N) + 2 * dense(1 + N * T, D, M);
      break;
    case 'joint_space_time':
      layer = attention(1, 1 + N * T) + 2 * dense(1 + N * T, D, M);
      break;
    case 'space_only':
      layer = attention(T, 1 + N) + 2 * dense(T * (1 + N), D, M);
      break;
  }
  const labels = Object.keys(config.id2label).length;
  const headRows = config.attention_type === 'space_only' ? T : 1;
  return embedding + config.num_hidden_layers * layer + dense(headRows, D, labels);
}
