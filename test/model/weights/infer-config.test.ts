import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { ModelError } from '../../../src/shared/errors.js';
import { parseConfig } from '../../../src/model/config.js';
import { inferConfig } from '../../../src/model/weights/infer-config.js';
import { openSafetensors } from '../../../src/model/weights/safetensors.js';

const fixtures = fileURLToPath(new URL('../../fixtures/timesformer/', import.meta.url));

/** HF key → shape for a TimeSformer of the given sizes, as the state dict would have it. */
function shapes(options: { hidden: number; layers: number; patch: number; image: number; frames: number; mlp: number; labels?: number; type: 'divided' | 'joint' | 'space'; qkvBias?: boolean }) {
  const d = options.hidden;
  const map = new Map<string, { shape: number[] }>();
  const add = (key: string, shape: number[]) => map.set(key, { shape });
  add('timesformer.embeddings.cls_token', [1, 1, d]);
  add('timesformer.embeddings.position_embeddings', [1, 1 + (options.image / options.patch) ** 2, d]);
  if (options.type !== 'space') add('timesformer.embeddings.time_embeddings', [1, options.frames, d]);
  add('timesformer.embeddings.patch_embeddings.projection.weight', [d, 3, options.patch, options.patch]);
  add('timesformer.embeddings.patch_embeddings.projection.bias', [d]);
  for (let layer = 0; layer < options.layers; layer++) {
    const prefix = `timesformer.encoder.layer.${layer}`;
    add(`${prefix}.attention.attention.qkv.weight`, [3 * d, d]);
    if (options.qkvBias !== false) add(`${prefix}.attention.attention.qkv.bias`, [3 * d]);
    add(`${prefix}.intermediate.dense.weight`, [options.mlp, d]);
    if (options.type === 'divided') add(`${prefix}.temporal_dense.weight`, [d, d]);
  }
  add('timesformer.layernorm.weight', [d]);
  if (options.labels !== undefined) add('classifier.weight', [options.labels, d]);
  return map;
}

describe('inferConfig', () => {
  it('reads TimeSformer-base K400 (divided) from shapes and says what it assumed', () => {
    const { config, assumptions } = inferConfig(shapes({ hidden: 768, layers: 12, patch: 16, image: 224, frames: 8, mlp: 3072, labels: 400, type: 'divided' }), 'k400.pyth');
    expect(config).toMatchObject({ hidden_size: 768, num_hidden_layers: 12, patch_size: 16, image_size: 224, num_frames: 8, intermediate_size: 3072, num_channels: 3, num_attention_heads: 12, attention_type: 'divided_space_time', qkv_bias: true });
    expect(Object.keys(config.id2label)).toHaveLength(400);
    expect(assumptions.join('\n')).toMatch(/num_attention_heads 12 assumed/);
  });

  it.each([
    ['joint', 'joint_space_time'],
    ['space', 'space_only'],
  ] as const)('tells %s attention from the keys', (type, attention) => {
    const { config, assumptions } = inferConfig(shapes({ hidden: 1024, layers: 2, patch: 16, image: 448, frames: 96, mlp: 4096, labels: 174, type, qkvBias: false }), 'x');
    expect(config).toMatchObject({ attention_type: attention, num_attention_heads: 16, image_size: 448, qkv_bias: false });
    if (type === 'space') expect(assumptions.join('\n')).toMatch(/num_frames 8 assumed/);
    else expect(config.num_frames).toBe(96);
  });

  it('refuses to guess the head count when the hidden size is not a multiple of 64 (divided-tiny: 32)', () => {
    const source = openSafetensors(`${fixtures}divided-tiny/model.safetensors`);
    expect(() => inferConfig(source.entries, 'divided-tiny')).toThrow(/attention heads cannot be read .* pass a config\.json/);
    source.close();
  });

  it.each(['divided-tiny', 'joint-tiny', 'space-only-tiny', 'divided-long', 'divided-small', 'divided-interp'])('agrees with %s/config.json on everything the shapes determine', (name) => {
    const source = openSafetensors(`${fixtures}${name}/model.safetensors`);
    const reference = parseConfig(JSON.parse(readFileSync(`${fixtures}${name}/config.json`, 'utf8')));
    // Tiny hidden sizes are not multiples of 64: widen every hidden axis to 256 so a head count can be assumed.
    const shapes = new Map([...source.entries].map(([key, entry]) => [key, { shape: entry.shape.map((size) => (size === reference.hidden_size ? 256 : size)) }]));
    const { config } = inferConfig(reference.hidden_size % 64 === 0 ? source.entries : shapes, name);
    source.close();
    const ignore = { hidden_size: 0, num_attention_heads: 0, id2label: {} };
    const expectedNumFrames = reference.attention_type === 'space_only' ? 8 : reference.num_frames;
    expect({ ...config, ...ignore }).toEqual({ ...reference, ...ignore, num_frames: expectedNumFrames });
    expect(Object.keys(config.id2label)).toEqual(Object.keys(reference.id2label));
  });

  it.each([
    ['no cls token', (map: Map<string, { shape: number[] }>) => map.delete('timesformer.embeddings.cls_token'), /no timesformer\.embeddings\.cls_token/],
    ['a non-square patch grid', (map: Map<string, { shape: number[] }>) => map.set('timesformer.embeddings.position_embeddings', { shape: [1, 1 + 15, 768] }), /not a square patch grid/],
    ['a gap in the layers', (map: Map<string, { shape: number[] }>) => map.set('timesformer.encoder.layer.5.temporal_dense.weight', { shape: [768, 768] }), /not 0\.\.n-1/],
    ['a wrong-rank projection', (map: Map<string, { shape: number[] }>) => map.set('timesformer.embeddings.patch_embeddings.projection.weight', { shape: [768, 768] }), /expected 4 axes/],
    // A legal zero-byte tensor can claim 2^53-1 rows: the label count must still be bounded.
    ['a classifier of 2^53-1 empty rows', (map: Map<string, { shape: number[] }>) => map.set('classifier.weight', { shape: [2 ** 53 - 1, 0] }), /num_labels must be a whole number from 1 to 1000000/],
    ['a zero-width hidden size', (map: Map<string, { shape: number[] }>) => map.set('timesformer.embeddings.cls_token', { shape: [1, 1, 0] }), /cannot infer|hidden_size must be/],
  ])('refuses %s', (_, change, text) => {
    const map = shapes({ hidden: 768, layers: 2, patch: 16, image: 224, frames: 8, mlp: 3072, labels: 400, type: 'divided' });
    change(map);
    let caught: unknown;
    try {
      inferConfig(map, 'x');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ModelError);
    expect((caught as ModelError).reason).toBe('bad-config');
    expect((caught as ModelError).message).toMatch(text);
  });
});
