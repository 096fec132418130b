/**
 * facebookresearch/TimeSformer state-dict names → Hugging Face names (the table in the fixtures
 * README, "Official → HF key names"). Shapes are identical on both sides, so renaming is all
 * there is to it.
 */
import { ModelError } from '../../shared/errors.js';
import type { TensorEntry, TensorSource } from './tensor-source.js';

const LAYER = 'timesformer.encoder.layer';
const PARAMETER = '(weight|bias)';

/** [official name without `model.`, HF name]; `$1` is the block index, the last group the parameter. */
const RULES: readonly (readonly [RegExp, string])[] = [
  [/^cls_token$/, 'timesformer.embeddings.cls_token'],
  [/^pos_embed$/, 'timesformer.embeddings.position_embeddings'],
  [/^time_embed$/, 'timesformer.embeddings.time_embeddings'],
  [new RegExp(`^patch_embed\\.proj\\.${PARAMETER}$`), 'timesformer.embeddings.patch_embeddings.projection.$1'],
  [new RegExp(`^blocks\\.(\\d+)\\.norm1\\.${PARAMETER}$`), `${LAYER}.$1.layernorm_before.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.attn\\.qkv\\.${PARAMETER}$`), `${LAYER}.$1.attention.attention.qkv.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.attn\\.proj\\.${PARAMETER}$`), `${LAYER}.$1.attention.output.dense.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.temporal_norm1\\.${PARAMETER}$`), `${LAYER}.$1.temporal_layernorm.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.temporal_attn\\.qkv\\.${PARAMETER}$`), `${LAYER}.$1.temporal_attention.attention.qkv.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.temporal_attn\\.proj\\.${PARAMETER}$`), `${LAYER}.$1.temporal_attention.output.dense.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.temporal_fc\\.${PARAMETER}$`), `${LAYER}.$1.temporal_dense.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.norm2\\.${PARAMETER}$`), `${LAYER}.$1.layernorm_after.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.mlp\\.fc1\\.${PARAMETER}$`), `${LAYER}.$1.intermediate.dense.$2`],
  [new RegExp(`^blocks\\.(\\d+)\\.mlp\\.fc2\\.${PARAMETER}$`), `${LAYER}.$1.output.dense.$2`],
  [new RegExp(`^norm\\.${PARAMETER}$`), 'timesformer.layernorm.$1'],
  [new RegExp(`^head\\.${PARAMETER}$`), 'classifier.$1'],
];

/** Official checkpoints prefix every key with `model.`; DataParallel saves add `module.`. */
function stripPrefixes(key: string): string {
  return key.replace(/^module\./, '').replace(/^model\./, '');
}

/** The HF name of an official key, or undefined when the key is not a TimeSformer weight. */
export function officialToHfName(key: string): string | undefined {
  const bare = stripPrefixes(key);
  for (const [pattern, replacement] of RULES) {
    if (pattern.test(bare)) return bare.replace(pattern, replacement);
  }
  return undefined;
}

/** True when the keys look like the official repo's (e.g. `model.blocks.0.attn.qkv.weight`), not HF's. */
export function isOfficialNaming(keys: Iterable<string>): boolean {
  let official = false;
  for (const key of keys) {
    if (key.startsWith('timesformer.')) return false;
    if (/^(module\.)?(model\.)?(blocks\.\d+\.|patch_embed\.|cls_token$|pos_embed$)/.test(key)) official = true;
  }
  return official;
}

/**
 * The same tensors under HF names. Keys without a mapping keep their name (the weight check then
 * reports them as unexpected). Two keys that map to one name are an error.
 */
export function renameOfficial(source: TensorSource, origin: string): TensorSource {
  const entries = new Map<string, TensorEntry>();
  for (const [key, entry] of source.entries) {
    const name = officialToHfName(key) ?? key;
    if (entries.has(name)) throw new ModelError('corrupt', `${origin}: two tensors map to "${name}" (one of them is "${key}")`);
    entries.set(name, { name, dtype: entry.dtype, shape: entry.shape, read: () => entry.read() });
  }
  return { entries, close: () => source.close() };
}
