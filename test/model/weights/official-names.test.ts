import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/shared/errors.js';
import { isOfficialNaming, officialToHfName, renameOfficial } from '../../../src/model/weights/official-names.js';
import type { TensorSource } from '../../../src/model/weights/tensor-source.js';

describe('officialToHfName', () => {
  // Every row of the fixtures README table ("Official → HF key names"), with weight and bias.
  it.each([
    ['model.cls_token', 'timesformer.embeddings.cls_token'],
    ['model.pos_embed', 'timesformer.embeddings.position_embeddings'],
    ['model.time_embed', 'timesformer.embeddings.time_embeddings'],
    ['model.patch_embed.proj.weight', 'timesformer.embeddings.patch_embeddings.projection.weight'],
    ['model.patch_embed.proj.bias', 'timesformer.embeddings.patch_embeddings.projection.bias'],
    ['model.blocks.0.norm1.weight', 'timesformer.encoder.layer.0.layernorm_before.weight'],
    ['model.blocks.0.norm1.bias', 'timesformer.encoder.layer.0.layernorm_before.bias'],
    ['model.blocks.11.attn.qkv.weight', 'timesformer.encoder.layer.11.attention.attention.qkv.weight'],
    ['model.blocks.11.attn.qkv.bias', 'timesformer.encoder.layer.11.attention.attention.qkv.bias'],
    ['model.blocks.3.attn.proj.weight', 'timesformer.encoder.layer.3.attention.output.dense.weight'],
    ['model.blocks.3.attn.proj.bias', 'timesformer.encoder.layer.3.attention.output.dense.bias'],
    ['model.blocks.1.temporal_norm1.weight', 'timesformer.encoder.layer.1.temporal_layernorm.weight'],
    ['model.blocks.1.temporal_norm1.bias', 'timesformer.encoder.layer.1.temporal_layernorm.bias'],
    ['model.blocks.1.temporal_attn.qkv.weight', 'timesformer.encoder.layer.1.temporal_attention.attention.qkv.weight'],
    ['model.blocks.1.temporal_attn.qkv.bias', 'timesformer.encoder.layer.1.temporal_attention.attention.qkv.bias'],
    ['model.blocks.1.temporal_attn.proj.weight', 'timesformer.encoder.layer.1.temporal_attention.output.dense.weight'],
    ['model.blocks.1.temporal_attn.proj.bias', 'timesformer.encoder.layer.1.temporal_attention.output.dense.bias'],
    ['model.blocks.1.temporal_fc.weight', 'timesformer.encoder.layer.1.temporal_dense.weight'],
    ['model.blocks.1.temporal_fc.bias', 'timesformer.encoder.layer.1.temporal_dense.bias'],
    ['model.blocks.23.norm2.weight', 'timesformer.encoder.layer.23.layernorm_after.weight'],
    ['model.blocks.23.norm2.bias', 'timesformer.encoder.layer.23.layernorm_after.bias'],
    ['model.blocks.2.mlp.fc1.weight', 'timesformer.encoder.layer.2.intermediate.dense.weight'],
    ['model.blocks.2.mlp.fc1.bias', 'timesformer.encoder.layer.2.intermediate.dense.bias'],
    ['model.blocks.2.mlp.fc2.weight', 'timesformer.encoder.layer.2.output.dense.weight'],
    ['model.blocks.2.mlp.fc2.bias', 'timesformer.encoder.layer.2.output.dense.bias'],
    ['model.norm.weight', 'timesformer.layernorm.weight'],
    ['model.norm.bias', 'timesformer.layernorm.bias'],
    ['model.head.weight', 'classifier.weight'],
    ['model.head.bias', 'classifier.bias'],
    // Without the prefix, and with DataParallel's extra one.
    ['head.weight', 'classifier.weight'],
    ['module.model.blocks.0.norm1.weight', 'timesformer.encoder.layer.0.layernorm_before.weight'],
    // Not TimeSformer weights.
    ['model.blocks.0.attn.relative_position_bias_table', undefined],
    ['model.blocks.x.norm1.weight', undefined],
    ['model.head.weight.extra', undefined],
    ['timesformer.embeddings.cls_token', undefined],
    ['optimizer.lr', undefined],
  ])('%s → %s', (official, hf) => {
    expect(officialToHfName(official)).toBe(hf);
  });
});

describe('isOfficialNaming', () => {
  it.each([
    [['model.cls_token', 'model.blocks.0.norm1.weight'], true],
    [['blocks.0.attn.qkv.weight', 'head.weight'], true],
    [['timesformer.embeddings.cls_token', 'classifier.weight'], false],
    [['timesformer.embeddings.cls_token', 'model.blocks.0.norm1.weight'], false],
    [[], false],
    [['something.else'], false],
  ])('%j → %s', (keys, expected) => {
    expect(isOfficialNaming(keys)).toBe(expected);
  });
});

describe('renameOfficial', () => {
  const entry = (name: string) => ({ name, dtype: 'F32' as const, shape: [1], read: () => Float32Array.from([name.length]) });
  const source = (names: string[]): TensorSource & { closed: boolean } => {
    const result = { entries: new Map(names.map((name) => [name, entry(name)])), closed: false, close: () => void (result.closed = true) };
    return result;
  };

  it('renames, keeps unknown keys, reads through, and closes the original', () => {
    const original = source(['model.head.weight', 'model.extra']);
    const renamed = renameOfficial(original, 'x.pyth');
    expect([...renamed.entries.keys()]).toEqual(['classifier.weight', 'model.extra']);
    expect(renamed.entries.get('classifier.weight')!.name).toBe('classifier.weight');
    expect(Array.from(renamed.entries.get('classifier.weight')!.read())).toEqual(['model.head.weight'.length]);
    renamed.close();
    expect(original.closed).toBe(true);
  });

  it('refuses two keys that map to one name', () => {
    expect(() => renameOfficial(source(['model.head.weight', 'head.weight']), 'x.pyth')).toThrow(ModelError);
  });
});
