import { closeSync, copyFileSync, symlinkSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/model/config.js';
import { openCheckpoint } from '../../../src/model/weights/load-checkpoint.js';
import { openSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/model/weights/safetensors.js';
import type { TensorSource } from '../../../src/model/weights/tensor-source.js';
import { expectModelError } from './expect-model-error.js';

const fixtures = fileURLToPath(new URL('../../fixtures/timesformer/', import.meta.url));
const tiny = join(fixtures, 'divided-tiny');
const hostile = fileURLToPath(new URL('../../fixtures/hostile/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'longview-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function freshFolder(): string {
  const folder = join(scratch, `case-${counter++}`);
  mkdirSync(folder);
  return folder;
}

/** Every key, shape and value of `actual` equals `expected`. */
function expectSameTensors(actual: TensorSource, expected: TensorSource): void {
  expect([...actual.entries.keys()].sort()).toEqual([...expected.entries.keys()].sort());
  for (const [key, entry] of expected.entries) {
    const other = actual.entries.get(key)!;
    expect(other.shape, key).toEqual(entry.shape);
    expect(other.read(), key).toEqual(entry.read());
  }
}

function tinyTensors(): TensorToWrite[] {
  const source = openSafetensors(join(tiny, 'model.safetensors'));
  const tensors = [...source.entries.values()].map((entry) => ({ name: entry.name, shape: entry.shape, data: entry.read() }));
  source.close();
  return tensors;
}

/** A folder with the tiny model split over two safetensors shards and an index. */
function shardedFolder(weightMapEdit?: (map: Record<string, string>) => void): string {
  const folder = freshFolder();
  const tensors = tinyTensors();
  const shards = [tensors.filter((_, index) => index % 2 === 0), tensors.filter((_, index) => index % 2 === 1)];
  const weightMap: Record<string, string> = {};
  shards.forEach((shard, index) => {
    const file = `model-0000${index + 1}-of-00002.safetensors`;
    writeSafetensors(join(folder, file), shard);
    for (const tensor of shard) weightMap[tensor.name] = file;
  });
  weightMapEdit?.(weightMap);
  writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
  copyFileSync(join(tiny, 'config.json'), join(folder, 'config.json'));
  return folder;
}

describe('openCheckpoint on HF model folders', () => {
  it.each(['divided-tiny', 'joint-tiny', 'space-only-tiny', 'divided-long', 'divided-interp', 'divided-small'])('%s: config from config.json and every key', (name) => {
    const folder = join(fixtures, name);
    const opened = openCheckpoint(folder);
    const reference = openSafetensors(join(folder, 'model.safetensors'));
    try {
      expect(opened.format).toBe('hf-folder');
      expect(opened.config).toEqual(parseConfig(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'))));
      expect([...opened.source.entries.keys()].sort()).toEqual([...reference.entries.keys()].sort());
      expect(opened.files).toEqual([join(folder, 'model.safetensors'), join(folder, 'config.json')]);
      expect(opened.assumptions).toEqual([]);
      expect(opened.preprocessor).toBeUndefined();
    } finally {
      opened.source.close();
      reference.close();
    }
  });

  it('a sharded safetensors folder gives the same tensors', () => {
    const folder = shardedFolder();
    const opened = openCheckpoint(folder);
    const reference = openSafetensors(join(tiny, 'model.safetensors'));
    try {
      expect(opened.format).toBe('hf-folder');
      expect(opened.files.map((file) => file.slice(folder.length + 1))).toEqual(['model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'config.json']);
      expectSameTensors(opened.source, reference);
    } finally {
      opened.source.close();
      reference.close();
    }
  });

  it('an index file given directly loads as "sharded"', () => {
    const folder = shardedFolder();
    const opened = openCheckpoint(join(folder, 'model.safetensors.index.json'));
    expect(opened.format).toBe('sharded');
    expect(opened.source.entries.size).toBe(49);
    opened.source.close();
  });

  it('a sharded pytorch_model.bin folder gives the same tensors', () => {
    const folder = freshFolder();
    copyFileSync(join(tiny, 'pytorch_model.bin'), join(folder, 'pytorch_model-00001-of-00001.bin'));
    copyFileSync(join(tiny, 'config.json'), join(folder, 'config.json'));
    const reference = openSafetensors(join(tiny, 'model.safetensors'));
    const weightMap = Object.fromEntries([...reference.entries.keys()].map((key) => [key, 'pytorch_model-00001-of-00001.bin']));
    writeFileSync(join(folder, 'pytorch_model.bin.index.json'), JSON.stringify({ weight_map: weightMap }));
    const opened = openCheckpoint(folder);
    try {
      expectSameTensors(opened.source, reference);
    } finally {
      opened.source.close();
      reference.close();
    }
  });

  it('reads preprocessor_config.json when present', () => {
    const folder = freshFolder();
    for (const file of ['config.json', 'model.safetensors']) copyFileSync(join(tiny, file), join(folder, file));
    const processor = { image_processor_type: 'VideoMAEImageProcessor', image_mean: [0.45, 0.45, 0.45], image_std: [0.225, 0.225, 0.225], size: { shortest_edge: 224 }, crop_size: { height: 224, width: 224 }, resample: 2 };
    writeFileSync(join(folder, 'preprocessor_config.json'), JSON.stringify(processor));
    const opened = openCheckpoint(folder);
    opened.source.close();
    expect(opened.preprocessor).toEqual({ image_mean: [0.45, 0.45, 0.45], image_std: [0.225, 0.225, 0.225], size: { shortest_edge: 224 }, crop_size: { height: 224, width: 224 } });
    expect(opened.files).toContain(join(folder, 'preprocessor_config.json'));

    writeFileSync(join(folder, 'preprocessor_config.json'), JSON.stringify({ ...processor, rescale_factor: 0.00392156862745098, do_rescale: true, do_normalize: false }));
    const withFlags = openCheckpoint(folder);
    withFlags.source.close();
    expect(withFlags.preprocessor).toMatchObject({ rescale_factor: 0.00392156862745098, do_rescale: true, do_normalize: false });
    writeFileSync(join(folder, 'preprocessor_config.json'), JSON.stringify({ ...processor, rescale_factor: -1 }));
    expectModelError(() => openCheckpoint(folder), 'bad-config', /rescale_factor/);
    writeFileSync(join(folder, 'preprocessor_config.json'), JSON.stringify({ ...processor, do_normalize: 'yes' }));
    expectModelError(() => openCheckpoint(folder), 'bad-config', /do_normalize/);
    writeFileSync(join(folder, 'preprocessor_config.json'), JSON.stringify({ ...processor, image_std: [0, 1, 1] }));
    expectModelError(() => openCheckpoint(folder), 'bad-config', /image_std has a zero/);
    writeFileSync(join(folder, 'preprocessor_config.json'), JSON.stringify({ size: 224 }));
    const legacySize = openCheckpoint(folder);
    legacySize.source.close();
    expect(legacySize.preprocessor).toEqual({ size: { shortest_edge: 224 } });
  });
});

describe('openCheckpoint on single files', () => {
  it.each([
    ['official.pyth', 'official-pyth'],
    ['pytorch_model.bin', 'pytorch'],
    ['model.safetensors', 'safetensors'],
  ])('divided-tiny/%s gives exactly the tensors of model.safetensors, config from the config.json beside it', (file, format) => {
    const opened = openCheckpoint(join(tiny, file));
    const reference = openSafetensors(join(tiny, 'model.safetensors'));
    try {
      expect(opened.format).toBe(format);
      expect(opened.config.num_attention_heads).toBe(4);
      expect(opened.files).toEqual([join(tiny, file), join(tiny, 'config.json')]);
      expect(opened.assumptions).toEqual(['config from config.json beside the checkpoint (pass a config to use another)']);
      expectSameTensors(opened.source, reference);
    } finally {
      opened.source.close();
      reference.close();
    }
  });

  it('takes the config from configPath', () => {
    const folder = freshFolder();
    copyFileSync(join(tiny, 'official.pyth'), join(folder, 'TimeSformer_divST_tiny.pyth'));
    const opened = openCheckpoint(join(folder, 'TimeSformer_divST_tiny.pyth'), { configPath: join(tiny, 'config.json') });
    opened.source.close();
    expect(opened.config.num_attention_heads).toBe(4);
    expect(opened.assumptions).toEqual([]);
  });

  it('infers the config of an official file without one, and says so', () => {
    // The tiny model's hidden size (32) does not say its head count, so inference refuses…
    const folder = freshFolder();
    copyFileSync(join(tiny, 'official.pyth'), join(folder, 'official.pyth'));
    expectModelError(() => openCheckpoint(join(folder, 'official.pyth')), 'bad-config', /attention heads cannot be read/);
    // …while a 64-wide model (divided-small, re-saved without a config) is inferred with stated assumptions.
    const small = freshFolder();
    copyFileSync(join(fixtures, 'divided-small', 'model.safetensors'), join(small, 'weights.safetensors'));
    const opened = openCheckpoint(join(small, 'weights.safetensors'));
    opened.source.close();
    expect(opened.config).toMatchObject({ hidden_size: 64, num_attention_heads: 1, num_frames: 8, image_size: 64, patch_size: 16, num_hidden_layers: 3, intermediate_size: 256 });
    expect(opened.assumptions[0]).toMatch(/no config\.json/);
    expect(opened.assumptions.join('\n')).toMatch(/num_attention_heads 1 assumed/);
  });

  it('recognises containers by their bytes, not their names', () => {
    const folder = freshFolder();
    copyFileSync(join(tiny, 'model.safetensors'), join(folder, 'weights.bin'));
    copyFileSync(join(tiny, 'pytorch_model.bin'), join(folder, 'weights.safetensors'));
    copyFileSync(join(tiny, 'config.json'), join(folder, 'config.json'));
    const a = openCheckpoint(join(folder, 'weights.bin'));
    const b = openCheckpoint(join(folder, 'weights.safetensors'));
    a.source.close();
    b.source.close();
    expect([a.format, b.format]).toEqual(['safetensors', 'pytorch']);
  });

  it('reads no tensor bytes (a 512 MiB checkpoint opens without memory)', () => {
    const folder = freshFolder();
    const path = join(folder, 'big.safetensors');
    const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [128, 1024, 1024], data_offsets: [0, 512 * 1024 * 1024] } }));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    const fd = openSync(path, 'w');
    writeSync(fd, Buffer.concat([length, header]));
    ftruncateSync(fd, 8 + header.length + 512 * 1024 * 1024); // a sparse hole: no disk, no memory
    closeSync(fd);
    const before = process.memoryUsage().arrayBuffers;
    const opened = openCheckpoint(path, { configPath: join(tiny, 'config.json') });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 1024 * 1024);
    expect(opened.source.entries.get('w')!.shape).toEqual([128, 1024, 1024]);
    opened.source.close();
  });
});

describe('openCheckpoint refuses', () => {
  const cases: [string, () => [string, { configPath?: string }?], string, RegExp][] = [
    ['a path that does not exist', () => [join(scratch, 'nothing-here')], 'not-found', /does not exist/],
    ['a folder without weights', () => [freshFolder()], 'not-found', /has no model weights/],
    ['a file that is no checkpoint', () => {
      const path = join(freshFolder(), 'notes.txt');
      writeFileSync(path, 'just some text, long enough');
      return [path];
    }, 'unsupported', /not a checkpoint Longview can read/],
    ['an empty file', () => {
      const path = join(freshFolder(), 'empty.bin');
      writeFileSync(path, '');
      return [path];
    }, 'unsupported', /not a checkpoint/],
    ['a legacy torch.save file', () => [join(hostile, 'legacy.pt')], 'unsupported', /legacy torch\.save format .* re-save it with a current PyTorch/],
    ['a config path that does not exist', () => [join(tiny, 'model.safetensors'), { configPath: join(scratch, 'missing.json') }], 'not-found', /missing\.json does not exist/],
    ['a config.json that is not JSON', () => {
      const folder = freshFolder();
      copyFileSync(join(tiny, 'model.safetensors'), join(folder, 'model.safetensors'));
      writeFileSync(join(folder, 'config.json'), '{ nope');
      return [folder];
    }, 'bad-config', /not valid JSON/],
    ['a config.json that is a link to a private file, without quoting it', () => {
      const folder = freshFolder();
      copyFileSync(join(tiny, 'model.safetensors'), join(folder, 'model.safetensors'));
      writeFileSync(join(folder, '..', 'secret.env'), 'API_KEY=sk-123456');
      symlinkSync(join(folder, '..', 'secret.env'), join(folder, 'config.json'));
      return [folder];
    }, 'bad-config', /config\.json is not valid JSON$/],
    ['a config of another model type', () => {
      const folder = freshFolder();
      copyFileSync(join(tiny, 'model.safetensors'), join(folder, 'model.safetensors'));
      writeFileSync(join(folder, 'config.json'), JSON.stringify({ model_type: 'vit' }));
      return [folder];
    }, 'bad-config', /model_type is "vit"/],
    ['a shard index pointing at ../evil.safetensors', () => {
      const folder = shardedFolder((map) => (map['classifier.weight'] = '../evil.safetensors'));
      copyFileSync(join(folder, 'model-00001-of-00002.safetensors'), join(folder, '..', 'evil.safetensors'));
      return [folder];
    }, 'unsafe-path', /"\.\.\/evil\.safetensors" for "classifier\.weight" is not a plain file name/],
    ['a shard index pointing at an absolute path', () => [shardedFolder((map) => (map['classifier.bias'] = join(tiny, 'model.safetensors')))], 'unsafe-path', /not a plain file name/],
    ['a shard index with a sub-folder', () => [shardedFolder((map) => (map['classifier.bias'] = 'sub/model.safetensors'))], 'unsafe-path', /not a plain file name/],
    ['a key in two shards', () => {
      const folder = shardedFolder();
      const reference = openSafetensors(join(folder, 'model-00001-of-00002.safetensors'));
      const key = [...reference.entries.keys()][0]!;
      const entry = reference.entries.get(key)!;
      const other = openSafetensors(join(folder, 'model-00002-of-00002.safetensors'));
      const tensors = [...other.entries.values()].map((item) => ({ name: item.name, shape: item.shape, data: item.read() }));
      tensors.push({ name: key, shape: entry.shape, data: entry.read() });
      reference.close();
      other.close();
      writeSafetensors(join(folder, 'model-00002-of-00002.safetensors'), tensors);
      return [folder];
    }, 'corrupt', /appears in both/],
    ['a missing shard', () => [shardedFolder((map) => (map['classifier.bias'] = 'model-00003-of-00003.safetensors'))], 'not-found', /shard model-00003-of-00003\.safetensors does not exist/],
    ['a key missing from its shard', () => [shardedFolder((map) => (map['no.such.key'] = 'model-00001-of-00002.safetensors'))], 'corrupt', /lacks 1 key\(s\) .* "no\.such\.key"/],
    ['an index without a weight_map', () => {
      const folder = shardedFolder();
      writeFileSync(join(folder, 'model.safetensors.index.json'), '{"metadata": {}}');
      return [folder];
    }, 'corrupt', /no "weight_map"/],
    ['an index that names itself as a shard', () => [shardedFolder((map) => (map['classifier.bias'] = 'model.safetensors.index.json'))], 'corrupt', /shard model\.safetensors\.index\.json is itself an index/],
    ['two indexes that name each other', () => {
      const folder = shardedFolder((map) => (map['classifier.bias'] = 'other.index.json'));
      writeFileSync(join(folder, 'other.index.json'), JSON.stringify({ weight_map: { 'classifier.bias': 'model.safetensors.index.json' } }));
      return [folder];
    }, 'corrupt', /shard other\.index\.json is itself an index/],
    ['a config.json whose model_type cannot be printed', () => {
      const folder = freshFolder();
      copyFileSync(join(tiny, 'model.safetensors'), join(folder, 'model.safetensors'));
      writeFileSync(join(folder, 'config.json'), '{"model_type": {"toString": null}}');
      return [folder];
    }, 'bad-config', /model_type is an object/],
    ['a config.json asking for 2^53 labels', () => {
      const folder = freshFolder();
      copyFileSync(join(tiny, 'model.safetensors'), join(folder, 'model.safetensors'));
      writeFileSync(join(folder, 'config.json'), JSON.stringify({ model_type: 'timesformer', num_labels: 2 ** 53 - 1 }));
      return [folder];
    }, 'bad-config', /num_labels must be a whole number from 1 to 1000000/],
    ['a config.json asking for a million layers', () => {
      const folder = freshFolder();
      copyFileSync(join(tiny, 'model.safetensors'), join(folder, 'model.safetensors'));
      writeFileSync(join(folder, 'config.json'), JSON.stringify({ model_type: 'timesformer', num_hidden_layers: 1_000_000 }));
      return [folder];
    }, 'bad-config', /num_hidden_layers must be a whole number from 1 to 1000/],
    ['an index that is not JSON', () => {
      const folder = shardedFolder();
      writeFileSync(join(folder, 'model.safetensors.index.json'), '{"weight_map": ');
      return [folder];
    }, 'corrupt', /not valid JSON/],
  ];
  it.each(cases)('%s', (_, make, reason, text) => {
    const [path, options] = make();
    expectModelError(() => openCheckpoint(path, options).source.close(), reason, text);
  });

  it('a weight_map of 200k keys is read and the keys its shard lacks are counted', () => {
    const folder = shardedFolder((map) => {
      for (let i = 0; i < 200_000; i++) map[`padding.${i}`] = 'model-00001-of-00002.safetensors';
    });
    expectModelError(() => openCheckpoint(folder).source.close(), 'corrupt', /lacks 200000 key\(s\)/);
  });
});
