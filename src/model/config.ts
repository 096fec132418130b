/**
 * TimeSformer configuration, with Hugging Face's `TimesformerConfig` field names unchanged so a
 * checkpoint's `config.json` reads straight in. Defaults are HF's.
 */
import { ModelError } from '../shared/errors.js';
import { describeValue } from './describe-value.js';

export type AttentionType = 'divided_space_time' | 'joint_space_time' | 'space_only';

export interface TimesformerConfig {
  image_size: number;
  patch_size: number;
  num_channels: number;
  /** Frames the time embedding was trained for; other counts are interpolated. */
  num_frames: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: 'gelu';
  layer_norm_eps: number;
  qkv_bias: boolean;
  attention_type: AttentionType;
  /** Class index → name; `num_labels` is its size. */
  id2label: Record<number, string>;
}

export const DEFAULT_CONFIG: Readonly<TimesformerConfig> = {
  image_size: 224,
  patch_size: 16,
  num_channels: 3,
  num_frames: 8,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-6,
  qkv_bias: true,
  attention_type: 'divided_space_time',
  id2label: { 0: 'LABEL_0', 1: 'LABEL_1' },
};

export function numLabels(config: TimesformerConfig): number {
  return Object.keys(config.id2label).length;
}

/** Labels in class-index order. */
export function labelList(config: TimesformerConfig): string[] {
  return Array.from({ length: numLabels(config) }, (_, index) => config.id2label[index] ?? `LABEL_${index}`);
}

/**
 * Integer fields and their upper bounds. Real TimeSformers are far inside them (224–448 px,
 * 8–96 frames, D 768–1024, 12–24 layers); the bounds only stop a hostile config.json from asking
 * for millions of layers or labels before a single weight is checked.
 */
const INTEGER_FIELDS = {
  image_size: 8192,
  patch_size: 1024,
  num_channels: 16,
  num_frames: 10_000,
  hidden_size: 65_536,
  num_hidden_layers: 1000,
  num_attention_heads: 1024,
  intermediate_size: 262_144,
} as const;

/** ImageNet-21k has 21,843 classes; HowTo100M's head 1,059. */
export const MAX_LABELS = 1_000_000;

/**
 * Validates a parsed `config.json` (or a partial object) and fills HF defaults.
 * Throws ModelError('bad-config') naming the first field that is wrong.
 */
export function parseConfig(json: unknown, source = 'config'): TimesformerConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelError('bad-config', `${source}: not a JSON object`);
  const raw = json as Record<string, unknown>;
  if (raw.model_type !== undefined && raw.model_type !== 'timesformer') {
    throw new ModelError('bad-config', `${source}: model_type is ${describeValue(raw.model_type)}, expected "timesformer"`);
  }
  const config: TimesformerConfig = { ...DEFAULT_CONFIG, id2label: { ...DEFAULT_CONFIG.id2label } };
  for (const [field, maximum] of Object.entries(INTEGER_FIELDS) as [keyof typeof INTEGER_FIELDS, number][]) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > maximum) {
      throw new ModelError('bad-config', `${source}: ${field} must be a whole number from 1 to ${maximum}, got ${describeValue(value)}`);
    }
    config[field] = value;
  }
  if (raw.hidden_act !== undefined && raw.hidden_act !== 'gelu') {
    throw new ModelError('bad-config', `${source}: hidden_act ${describeValue(raw.hidden_act)} is not supported (only the exact erf "gelu")`);
  }
  if (raw.layer_norm_eps !== undefined) {
    if (typeof raw.layer_norm_eps !== 'number' || !(raw.layer_norm_eps > 0)) throw new ModelError('bad-config', `${source}: layer_norm_eps must be a positive number`);
    config.layer_norm_eps = raw.layer_norm_eps;
  }
  if (raw.qkv_bias !== undefined) {
    if (typeof raw.qkv_bias !== 'boolean') throw new ModelError('bad-config', `${source}: qkv_bias must be true or false`);
    config.qkv_bias = raw.qkv_bias;
  }
  if (raw.attention_type !== undefined) {
    if (raw.attention_type !== 'divided_space_time' && raw.attention_type !== 'joint_space_time' && raw.attention_type !== 'space_only') {
      throw new ModelError('bad-config', `${source}: attention_type ${describeValue(raw.attention_type)} is not one of divided_space_time, joint_space_time, space_only`);
    }
    config.attention_type = raw.attention_type;
  }
  config.id2label = parseLabels(raw, source);
  if (config.hidden_size % config.num_attention_heads !== 0) {
    throw new ModelError('bad-config', `${source}: hidden_size ${config.hidden_size} is not divisible by num_attention_heads ${config.num_attention_heads}`);
  }
  if (config.image_size % config.patch_size !== 0) {
    throw new ModelError('bad-config', `${source}: image_size ${config.image_size} is not divisible by patch_size ${config.patch_size}`);
  }
  return config;
}

function parseLabels(raw: Record<string, unknown>, source: string): Record<number, string> {
  const table = raw.id2label;
  if (table === undefined) {
    const count = raw.num_labels ?? 2;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0 || count > MAX_LABELS) {
      throw new ModelError('bad-config', `${source}: num_labels must be a whole number from 1 to ${MAX_LABELS}, got ${describeValue(count)}`);
    }
    return Object.fromEntries(Array.from({ length: count }, (_, index) => [index, `LABEL_${index}`]));
  }
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw new ModelError('bad-config', `${source}: id2label must be an object`);
  const entries = Object.entries(table);
  if (entries.length > MAX_LABELS) throw new ModelError('bad-config', `${source}: id2label has ${entries.length} entries, more than ${MAX_LABELS}`);
  const labels: Record<number, string> = {};
  for (const [key, name] of entries) {
    const index = Number(key);
    if (!Number.isSafeInteger(index) || index < 0 || index >= entries.length || typeof name !== 'string') {
      throw new ModelError('bad-config', `${source}: id2label must map 0..${entries.length - 1} to names, found ${describeValue(key)}`);
    }
    labels[index] = name;
  }
  return labels;
}
