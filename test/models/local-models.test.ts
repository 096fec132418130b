/**
 * Listing local models over fake Hugging Face caches with the real layout (blobs named by hash,
 * snapshots of relative symlinks, refs/main), the app's models folder and added paths, with the
 * tiny fixture model standing in for real checkpoints.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLocalModels, presetFromConfig } from '../../src/models/local-models.js';
import { addModel } from '../../src/models/model-registry.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import type { LocalModel } from '../../src/shared/models.js';
import { sha256Hex } from './mock-hub.js';

const FIXTURE = resolve('test/fixtures/timesformer/divided-tiny');
const FIXTURE_CONFIG = readFileSync(join(FIXTURE, 'config.json'), 'utf8');
const FIXTURE_WEIGHTS = readFileSync(join(FIXTURE, 'model.safetensors'));
const NON_COMMERCIAL = /^CC BY-NC 4\.0/;

let root: string;
let cache: string;
let dataFolder: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'longview-local-'));
  cache = join(root, 'hub');
  dataFolder = join(root, 'data');
  mkdirSync(cache);
  mkdirSync(dataFolder);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

interface SnapshotOptions {
  commit?: string;
  /** Write refs/main pointing at this commit (default true). */
  main?: boolean;
}

/**
 * Writes one snapshot of `org/name` the way huggingface_hub does: each file's bytes in
 * blobs/<sha256>, the snapshot entry a relative link to it. Returns the snapshot folder.
 */
function writeSnapshot(reference: string, files: Record<string, string | Uint8Array>, options: SnapshotOptions = {}): string {
  const repository = join(cache, `models--${reference.replace('/', '--')}`);
  const commit = options.commit ?? 'a'.repeat(40);
  const snapshot = join(repository, 'snapshots', commit);
  mkdirSync(join(repository, 'blobs'), { recursive: true });
  mkdirSync(snapshot, { recursive: true });
  for (const [name, contents] of Object.entries(files)) {
    const hash = sha256Hex(typeof contents === 'string' ? Buffer.from(contents) : contents);
    writeFileSync(join(repository, 'blobs', hash), contents);
    symlinkSync(join('..', '..', 'blobs', hash), join(snapshot, name));
  }
  if (options.main ?? true) {
    mkdirSync(join(repository, 'refs'), { recursive: true });
    writeFileSync(join(repository, 'refs', 'main'), commit);
  }
  return snapshot;
}

/** The blob a snapshot entry links to. */
function blobPath(snapshot: string, name: string): string {
  return resolve(snapshot, readlinkSync(join(snapshot, name)));
}

function list(): LocalModel[] {
  return listLocalModels({ hubCacheDirectory: cache, dataFolder, onWarning: () => undefined });
}

function only(models: LocalModel[], reference: string): LocalModel {
  const matching = models.filter((model) => model.reference === reference);
  expect(matching.length, reference).toBe(1);
  return matching[0]!;
}

const TINY_PRESET = { frames: 4, frameStride: 64, imageSize: 32 };

describe('the Hugging Face cache', () => {
  it('lists a TimeSformer snapshot by Hub id with its blobs, classes, preset and the model card license', () => {
    const readme = '---\nlicense: mit\n---\n# tiny\n';
    const snapshot = writeSnapshot('someone/tiny-timesformer', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS, 'README.md': readme });
    expect(list()).toEqual([
      {
        reference: 'someone/tiny-timesformer',
        path: snapshot,
        location: 'hf-cache',
        catalogId: null,
        sizeBytes: Buffer.byteLength(FIXTURE_CONFIG) + FIXTURE_WEIGHTS.length + Buffer.byteLength(readme),
        license: 'mit (from the model card)',
        preset: TINY_PRESET,
        classes: 5,
        problem: null,
      },
    ]);
  });

  it('takes the snapshot refs/main names and counts a blob two names share once', () => {
    writeSnapshot('someone/tiny', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS, 'old.txt': 'old' }, { commit: 'b'.repeat(40), main: false });
    const current = writeSnapshot('someone/tiny', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS, 'pytorch_model.safetensors': FIXTURE_WEIGHTS }, { commit: 'c'.repeat(40) });
    utimesSync(join(dirname(current), 'b'.repeat(40)), new Date(), new Date(Date.now() + 60_000));
    const model = only(list(), 'someone/tiny');
    expect(model.path).toBe(current);
    expect(model.sizeBytes).toBe(Buffer.byteLength(FIXTURE_CONFIG) + FIXTURE_WEIGHTS.length);
  });

  it.each([
    ['there is no refs/main', false],
    ['refs/main names a snapshot that is gone', true],
  ])('takes the newest snapshot when %s', (_what, danglingMain) => {
    const older = writeSnapshot('someone/tiny', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS }, { commit: 'd'.repeat(40), main: false });
    const newer = writeSnapshot('someone/tiny', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS, 'extra.json': '{}' }, { commit: 'e'.repeat(40), main: false });
    utimesSync(older, new Date(), new Date(Date.now() - 60_000));
    if (danglingMain) {
      mkdirSync(join(dirname(dirname(older)), 'refs'));
      writeFileSync(join(dirname(dirname(older)), 'refs', 'main'), 'f'.repeat(40));
    }
    expect(only(list(), 'someone/tiny').path).toBe(newer);
  });

  it('skips other models, datasets and folders that say nothing, silently', () => {
    writeSnapshot('google-bert/bert-base-uncased', { 'config.json': JSON.stringify({ model_type: 'bert', architectures: ['BertForMaskedLM'] }), 'model.safetensors': FIXTURE_WEIGHTS });
    writeSnapshot('someone/no-config', { 'model.safetensors': FIXTURE_WEIGHTS });
    writeSnapshot('someone/bad-config', { 'config.json': '{ not json', 'model.safetensors': FIXTURE_WEIGHTS });
    mkdirSync(join(cache, 'models--someone--no-snapshots', 'blobs'), { recursive: true });
    mkdirSync(join(cache, 'datasets--someone--videos', 'snapshots', 'x'), { recursive: true });
    mkdirSync(join(cache, '.locks'));
    expect(list()).toEqual([]);
  });

  it('recognises a TimeSformer by its architecture when model_type is missing', () => {
    const config = JSON.parse(FIXTURE_CONFIG) as Record<string, unknown>;
    delete config['model_type'];
    writeSnapshot('someone/unlabelled', { 'config.json': JSON.stringify(config), 'model.safetensors': FIXTURE_WEIGHTS });
    expect(only(list(), 'someone/unlabelled')).toMatchObject({ problem: null, classes: 5 });
  });

  it('lists a snapshot whose download never finished, with the reason', () => {
    const snapshot = writeSnapshot('someone/half', { 'config.json': FIXTURE_CONFIG });
    const model = only(list(), 'someone/half');
    expect(model).toMatchObject({ location: 'hf-cache', path: snapshot, classes: null, preset: null });
    expect(model.problem).toMatch(/no weights.*download someone\/half again/);
  });

  it('lists a snapshot whose weights link to a missing blob, naming the link', () => {
    const snapshot = writeSnapshot('someone/dangling', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS });
    rmSync(blobPath(snapshot, 'model.safetensors'));
    const model = only(list(), 'someone/dangling');
    expect(model.problem).toContain(join(snapshot, 'model.safetensors'));
    expect(model.problem).toMatch(/missing from the cache/);
    expect(model.sizeBytes).toBe(Buffer.byteLength(FIXTURE_CONFIG));
  });

  it('lists a snapshot with damaged weights with the reader\'s reason', () => {
    writeSnapshot('someone/damaged', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS.subarray(0, 200) });
    const model = only(list(), 'someone/damaged');
    expect(model.problem).not.toBeNull();
    expect(model.problem).toContain('model.safetensors');
  });

  it('fills a known repo from the catalog when the checkpoint agrees with it', () => {
    const config = JSON.parse(FIXTURE_CONFIG) as Record<string, unknown>;
    // Only headers are read, so a config that claims the released shape is taken at its word.
    config['num_frames'] = 8;
    config['image_size'] = 224;
    config['patch_size'] = 16;
    config['id2label'] = Object.fromEntries(Array.from({ length: 400 }, (_, index) => [String(index), `class ${index}`]));
    delete config['label2id'];
    writeSnapshot('facebook/timesformer-base-finetuned-k400', { 'config.json': JSON.stringify(config), 'model.safetensors': FIXTURE_WEIGHTS });
    expect(only(list(), 'facebook/timesformer-base-finetuned-k400')).toMatchObject({
      catalogId: 'facebook/timesformer-base-finetuned-k400',
      preset: { frames: 8, frameStride: 32, imageSize: 224 },
      classes: 400,
      license: expect.stringMatching(NON_COMMERCIAL),
      problem: null,
    });
  });

  it('does not trust a known name on a checkpoint of another shape', () => {
    writeSnapshot('facebook/timesformer-hr-finetuned-k400', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS });
    expect(only(list(), 'facebook/timesformer-hr-finetuned-k400')).toMatchObject({ catalogId: null, preset: TINY_PRESET, classes: 5 });
  });

  it('lists a known repo whose config is missing, described by the catalog', () => {
    writeSnapshot('fcakyon/timesformer-large-finetuned-k400', { 'model.safetensors': FIXTURE_WEIGHTS });
    const model = only(list(), 'fcakyon/timesformer-large-finetuned-k400');
    expect(model).toMatchObject({ catalogId: 'fcakyon/timesformer-large-finetuned-k400', preset: { frames: 96, frameStride: 4, imageSize: 224 }, classes: 400 });
    expect(model.license).toMatch(NON_COMMERCIAL);
    expect(model.problem).toMatch(/config\.json is missing or damaged/);
  });

  it('skips the cache when none is given or it does not exist', () => {
    writeSnapshot('someone/tiny', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS });
    expect(listLocalModels({ hubCacheDirectory: undefined, dataFolder })).toEqual([]);
    expect(listLocalModels({ hubCacheDirectory: join(root, 'nowhere'), dataFolder })).toEqual([]);
  });
});

describe('the app folder and added models', () => {
  it('lists model folders and checkpoint files in <data folder>/models, ignoring the rest', () => {
    const models = join(dataFolder, 'models');
    mkdirSync(join(models, 'tiny'), { recursive: true });
    copyFileSync(join(FIXTURE, 'config.json'), join(models, 'tiny', 'config.json'));
    copyFileSync(join(FIXTURE, 'model.safetensors'), join(models, 'tiny', 'model.safetensors'));
    copyFileSync(join(FIXTURE, 'official.pyth'), join(models, 'TimeSformer_divST_8x32_224_K400.pyth'));
    writeFileSync(join(models, 'broken.safetensors'), 'not a checkpoint');
    writeFileSync(join(models, 'notes.txt'), 'hello');
    mkdirSync(join(models, 'empty-folder'));
    copyFileSync(join(FIXTURE, 'official.pyth'), join(models, '.hidden.pyth'));

    const listed = list();
    expect(listed.map((model) => [model.location, model.path, model.problem === null])).toEqual([
      ['app', join(models, 'TimeSformer_divST_8x32_224_K400.pyth'), false],
      ['app', join(models, 'broken.safetensors'), false],
      ['app', join(models, 'tiny'), true],
    ]);
    const [official, broken, tiny] = listed;
    // The tiny model's heads cannot be inferred without a config: it is known only by its name.
    expect(official).toMatchObject({ catalogId: 'TimeSformer_divST_8x32_224_K400.pyth', preset: { frames: 8, frameStride: 32, imageSize: 224 }, classes: 400 });
    expect(official?.problem).toMatch(/pass a config\.json/);
    expect(official?.license).toMatch(NON_COMMERCIAL);
    expect(broken).toMatchObject({ catalogId: null, preset: null, classes: null, sizeBytes: 'not a checkpoint'.length });
    expect(broken?.problem).toMatch(/broken\.safetensors/);
    expect(tiny).toMatchObject({ reference: join(models, 'tiny'), classes: 5, preset: TINY_PRESET, license: 'unknown (the checkpoint does not say)' });
    expect(tiny?.sizeBytes).toBe(Buffer.byteLength(FIXTURE_CONFIG) + FIXTURE_WEIGHTS.length);
  });

  it('lists added paths, and one deleted afterwards with the reason', () => {
    const officialFolder = join(root, 'official');
    const kept = join(officialFolder, 'TimeSformer_divST_8x32_224_K400.pyth');
    const deleted = join(root, 'deleted');
    mkdirSync(officialFolder);
    copyFileSync(join(FIXTURE, 'official.pyth'), kept);
    copyFileSync(join(FIXTURE, 'config.json'), join(officialFolder, 'config.json'));
    mkdirSync(deleted);
    copyFileSync(join(FIXTURE, 'config.json'), join(deleted, 'config.json'));
    copyFileSync(join(FIXTURE, 'model.safetensors'), join(deleted, 'model.safetensors'));
    addModel(kept, dataFolder, { onWarning: () => undefined });
    addModel(deleted, dataFolder, { onWarning: () => undefined });
    rmSync(deleted, { recursive: true });

    const [first, second, ...rest] = list();
    expect(rest).toEqual([]);
    // A released file name holding the tiny model: the license follows the name, the preset the file.
    expect(first).toMatchObject({ reference: kept, path: kept, location: 'added', catalogId: null, preset: TINY_PRESET, classes: 5, problem: null });
    expect(first?.sizeBytes).toBe(statSync(kept).size);
    expect(first?.license).toMatch(NON_COMMERCIAL);
    expect(second).toMatchObject({ reference: deleted, path: deleted, location: 'added', sizeBytes: 0, classes: null, preset: null, license: 'unknown (the checkpoint does not say)' });
    expect(second?.problem).toMatch(/is not there any more/);
  });

  it('lists a model once when it was also added by path', () => {
    const snapshot = writeSnapshot('someone/tiny', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS });
    addModel(snapshot, dataFolder, { onWarning: () => undefined });
    expect(list().map((model) => [model.location, model.reference])).toEqual([['hf-cache', 'someone/tiny']]);
  });

  it('passes on the warning about a damaged models.json and lists the rest', () => {
    writeSnapshot('someone/tiny', { 'config.json': FIXTURE_CONFIG, 'model.safetensors': FIXTURE_WEIGHTS });
    writeFileSync(join(dataFolder, 'models.json'), 'garbage');
    const warnings: string[] = [];
    expect(listLocalModels({ hubCacheDirectory: cache, dataFolder, onWarning: (message) => warnings.push(message) }).length).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('models.json')]);
  });
});

describe('presetFromConfig', () => {
  it.each([
    [8, 224, { frames: 8, frameStride: 32, imageSize: 224 }],
    [16, 448, { frames: 16, frameStride: 16, imageSize: 448 }],
    [96, 224, { frames: 96, frameStride: 4, imageSize: 224 }],
    [4, 32, { frames: 4, frameStride: 64, imageSize: 32 }],
    [1000, 224, null],
  ])('%i frames at %i px → %j', (frames, imageSize, preset) => {
    expect(presetFromConfig({ ...DEFAULT_CONFIG, num_frames: frames, image_size: imageSize })).toEqual(preset);
  });

  it('uses the stride a model declares it was trained at (the demo model: 16 frames every 6th)', () => {
    expect(presetFromConfig({ ...DEFAULT_CONFIG, num_frames: 16, image_size: 64 }, 6)).toEqual({ frames: 16, frameStride: 6, imageSize: 64 });
  });
});
