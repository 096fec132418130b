/**
 * A TimesformerConfig from tensor shapes alone, for checkpoints that ship without config.json
 * (the official .pyth files). Everything but the head count is determined by the shapes; the
 * head count is not, so it is assumed (ViT's head size 64) and said so.
 */
import { ModelError } from '../../shared/errors.js';
import { parseConfig, type AttentionType, type TimesformerConfig } from '../config.js';

const EMBEDDINGS = 'timesformer.embeddings';
const LAYER = 'timesformer.encoder.layer';
/** ViT-B/L and every released TimeSformer use 64-dimensional heads. */
const HEAD_SIZE = 64;

export interface InferredConfig {
  config: TimesformerConfig;
  /** Plain-language statements of what could not be read from the shapes. */
  assumptions: string[];
}

/** @param shapes HF key → shape (the official names already mapped). */
export function inferConfig(shapes: ReadonlyMap<string, { readonly shape: readonly number[] }>, origin: string): InferredConfig {
  const fail = (message: string): ModelError => new ModelError('bad-config', `${origin}: cannot infer the model configuration (${message}); pass a config.json`);
  const shapeOf = (key: string, rank: number): readonly number[] => {
    const shape = shapes.get(key)?.shape;
    if (shape === undefined) throw fail(`no ${key}`);
    if (shape.length !== rank) throw fail(`${key} has shape [${shape.join(', ')}], expected ${rank} axes`);
    return shape;
  };
  const assumptions: string[] = [];

  const hidden = shapeOf(`${EMBEDDINGS}.cls_token`, 3)[2]!; // [1, 1, D]
  const [outChannels, channels, patchHeight, patchWidth] = shapeOf(`${EMBEDDINGS}.patch_embeddings.projection.weight`, 4) as [number, number, number, number]; // [D, C, p, p]
  if (outChannels !== hidden || patchHeight !== patchWidth) throw fail(`patch projection [${outChannels}, ${channels}, ${patchHeight}, ${patchWidth}] does not fit hidden size ${hidden} with square patches`);
  const positions = shapeOf(`${EMBEDDINGS}.position_embeddings`, 3)[1]! - 1; // [1, 1 + N0, D]
  const grid = Math.round(Math.sqrt(positions));
  if (grid * grid !== positions) throw fail(`${positions} position embeddings are not a square patch grid`);

  const layerIndices = new Set<number>();
  for (const key of shapes.keys()) {
    const match = /^timesformer\.encoder\.layer\.(\d+)\./.exec(key);
    if (match !== null) layerIndices.add(Number(match[1]));
  }
  const layers = layerIndices.size;
  if (layers === 0 || [...layerIndices].some((index) => index >= layers)) throw fail(`layer indices ${[...layerIndices].sort((a, b) => a - b).join(', ')} are not 0..n-1`);
  const intermediate = shapeOf(`${LAYER}.0.intermediate.dense.weight`, 2)[0]!; // [I, D]

  const hasTime = shapes.has(`${EMBEDDINGS}.time_embeddings`);
  const hasTemporal = [...shapes.keys()].some((key) => key.startsWith(`${LAYER}.0.temporal_`));
  const attentionType: AttentionType = hasTemporal ? 'divided_space_time' : hasTime ? 'joint_space_time' : 'space_only';
  let frames: number | undefined;
  if (hasTime) frames = shapeOf(`${EMBEDDINGS}.time_embeddings`, 3)[1]; // [1, T0, D]
  else assumptions.push('num_frames 8 assumed (a space_only checkpoint has no time embedding to read it from)');

  if (hidden % HEAD_SIZE !== 0) throw fail(`the number of attention heads cannot be read from the weights, and hidden size ${hidden} is not a multiple of ${HEAD_SIZE}`);
  const heads = hidden / HEAD_SIZE;
  assumptions.push(`num_attention_heads ${heads} assumed (hidden size ${hidden} / head size ${HEAD_SIZE}, as in ViT; the weights do not say)`);
  assumptions.push('layer_norm_eps 1e-6 and exact-erf GELU assumed (the official TimeSformer values)');

  let labels: number | undefined;
  if (shapes.has('classifier.weight')) labels = shapeOf('classifier.weight', 2)[0]; // [K, D]
  else assumptions.push('no classifier weights found; num_labels left at 2');

  const config = parseConfig(
    {
      image_size: grid * patchHeight,
      patch_size: patchHeight,
      num_channels: channels,
      num_frames: frames,
      hidden_size: hidden,
      num_hidden_layers: layers,
      num_attention_heads: heads,
      intermediate_size: intermediate,
      qkv_bias: shapes.has(`${LAYER}.0.attention.attention.qkv.bias`),
      attention_type: attentionType,
      num_labels: labels,
    },
    `${origin} (inferred)`,
  );
  return { config, assumptions };
}
