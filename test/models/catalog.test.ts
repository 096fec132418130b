/**
 * The shipped catalog: it validates, its label sets match the shipped class lists, ids are unique,
 * lookups by Hub id, HF-cache path and official file name find the right entry, and every kind of
 * bad catalog is refused as an internal error.
 */
import { describe, expect, it } from 'vitest';
import { findCatalogEntry, loadCatalog, parseCatalog, presetFor } from '../../src/models/catalog.js';
import { BUILTIN_LABEL_LISTS, builtinLabels } from '../../src/model/label-lists.js';
import { LongviewError } from '../../src/shared/errors.js';
import type { CatalogEntry } from '../../src/shared/models.js';

const catalog = loadCatalog();

function entry(id: string): CatalogEntry {
  const found = catalog.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no catalog entry ${id}`);
  return found;
}

describe('the shipped catalog', () => {
  it('has the Hub checkpoints with their training presets', () => {
    const presets = Object.fromEntries(catalog.filter((item) => item.source === 'hub').map((item) => [item.id, [item.preset.frames, item.preset.frameStride, item.preset.imageSize, item.classes]]));
    expect(presets).toEqual({
      'facebook/timesformer-base-finetuned-k400': [8, 32, 224, 400],
      'facebook/timesformer-base-finetuned-k600': [8, 32, 224, 600],
      'facebook/timesformer-base-finetuned-ssv2': [8, 15, 224, 174],
      'facebook/timesformer-hr-finetuned-k400': [16, 16, 448, 400],
      'facebook/timesformer-hr-finetuned-k600': [16, 16, 448, 600],
      'facebook/timesformer-hr-finetuned-ssv2': [16, 8, 448, 174],
      'fcakyon/timesformer-large-finetuned-k400': [96, 4, 224, 400],
      'fcakyon/timesformer-large-finetuned-k600': [96, 4, 224, 600],
      'fcakyon/timesformer-large-finetuned-ssv2': [96, 1, 224, 174],
    });
  });

  it('recognises every released official file by name', () => {
    const names = catalog.filter((item) => item.source === 'file').flatMap((item) => item.fileNames ?? []);
    const expected = [
      ...['8x32_224', '16x16_448', '96x4_224'].flatMap((variant) => ['K400', 'K600'].map((dataset) => `TimeSformer_divST_${variant}_${dataset}.pyth`)),
      ...['8_224', '16_448', '64_224'].map((variant) => `TimeSformer_divST_${variant}_SSv2.pyth`),
      ...['8x32', '32x32', '64x32', '96x32'].map((variant) => `TimeSformer_divST_${variant}_224_HowTo100M.pyth`),
    ];
    expect(names.sort()).toEqual(expected.sort());
  });

  it('has unique ids, also ignoring case', () => {
    const ids = catalog.map((item) => item.id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has a shipped class list of the right size for every Kinetics and SSv2 entry', () => {
    const shipped = new Set(Object.values(BUILTIN_LABEL_LISTS).map((list) => list.dataset));
    const withLists = catalog.filter((item) => item.labelSet !== 'HowTo100M');
    expect(withLists.length).toBe(18);
    for (const item of withLists) {
      expect(shipped.has(item.labelSet), item.id).toBe(true);
      const labels = builtinLabels(item.classes);
      expect(labels?.dataset, item.id).toBe(item.labelSet);
      expect(labels?.labels.length, item.id).toBe(item.classes);
    }
  });

  it('tells HowTo100M users that names are missing and how to supply them', () => {
    const howTo = catalog.filter((item) => item.labelSet === 'HowTo100M');
    expect(howTo.map((item) => [item.preset.frames, item.preset.frameStride, item.classes])).toEqual([
      [8, 32, 1059],
      [32, 32, 1059],
      [64, 32, 1059],
      [96, 32, 1059],
    ]);
    for (const item of howTo) expect(item.notes?.join(' ')).toMatch(/--labels/);
  });

  it('marks Meta weights as non-commercial and sizes as known or null', () => {
    for (const item of catalog) expect(item.license, item.id).toMatch(/^CC BY-NC 4\.0/);
    expect(entry('facebook/timesformer-base-finetuned-k400')).toMatchObject({ downloadBytes: 486_000_000, safetensorsRevision: 'refs/pr/5' });
    expect(entry('facebook/timesformer-hr-finetuned-k600')).toMatchObject({ downloadBytes: 489_000_000, safetensorsRevision: 'refs/pr/4' });
    expect(entry('facebook/timesformer-base-finetuned-k600').downloadBytes).toBeNull();
    expect(entry('facebook/timesformer-base-finetuned-k600')).not.toHaveProperty('safetensorsRevision');
    expect(entry('TimeSformer_divST_96x4_224_K400.pyth').downloadBytes).toBeNull();
  });

  it('hands out entries one caller cannot change for the next', () => {
    const first = loadCatalog();
    expect(() => {
      (first[0]!.preset as { frames: number }).frames = 1;
    }).toThrow(TypeError);
    first.pop();
    expect(loadCatalog().length).toBe(catalog.length);
  });
});

describe('findCatalogEntry', () => {
  it.each([
    ['facebook/timesformer-base-finetuned-k400', 'facebook/timesformer-base-finetuned-k400'],
    ['Facebook/TimeSformer-HR-Finetuned-K600', 'facebook/timesformer-hr-finetuned-k600'],
    ['  fcakyon/timesformer-large-finetuned-k400 ', 'fcakyon/timesformer-large-finetuned-k400'],
    ['facebook/timesformer-base-finetuned-k400@refs/pr/5', 'facebook/timesformer-base-finetuned-k400'],
    ['/home/ann/.cache/huggingface/hub/models--facebook--timesformer-base-finetuned-ssv2/snapshots/0123abcd', 'facebook/timesformer-base-finetuned-ssv2'],
    ['/cache/models--fcakyon--timesformer-large-finetuned-k600/snapshots/0123abcd/model.safetensors', 'fcakyon/timesformer-large-finetuned-k600'],
    ['/data/weights/TimeSformer_divST_96x4_224_K400.pyth', 'TimeSformer_divST_96x4_224_K400.pyth'],
    ['timesformer_divst_8_224_ssv2.PYTH', 'TimeSformer_divST_8_224_SSv2.pyth'],
    ['C:\\Models\\TimeSformer_divST_96x32_224_HowTo100M.pyth', 'TimeSformer_divST_96x32_224_HowTo100M.pyth'],
    ['TimeSformer_divST_64_224_SSv2.pyth', 'TimeSformer_divST_64_224_SSv2.pyth'],
  ])('%s → %s', (query, id) => {
    expect(findCatalogEntry(query)?.id).toBe(id);
  });

  it.each([
    ['an unknown repo', 'facebook/timesformer-base-finetuned-k700'],
    ['a repo name without its org', 'timesformer-base-finetuned-k400'],
    ['facebook/timesformer-large-*, which is not public', 'facebook/timesformer-large-finetuned-k400'],
    ['an official name in a folder path', '/data/TimeSformer_divST_8x32_224_K400.pyth/model.safetensors'],
    ['a renamed official file', '/data/k400.pyth'],
    ['an empty string', ''],
  ])('finds nothing for %s', (_what, query) => {
    expect(findCatalogEntry(query)).toBeUndefined();
  });

  it('searches the entries it is given', () => {
    const only = [entry('TimeSformer_divST_8x32_224_K400.pyth')];
    expect(findCatalogEntry('facebook/timesformer-base-finetuned-k400', only)).toBeUndefined();
    expect(findCatalogEntry('TimeSformer_divST_8x32_224_K400.pyth', only)).toBe(only[0]);
  });
});

describe('presetFor', () => {
  it.each([
    ['facebook/timesformer-base-finetuned-k400', { samplingFps: 30, frameStride: 32, windowFrames: 8, windowStrideFrames: 4, imageSize: 224 }],
    ['facebook/timesformer-hr-finetuned-ssv2', { samplingFps: 30, frameStride: 8, windowFrames: 16, windowStrideFrames: 8, imageSize: 448 }],
    ['TimeSformer_divST_96x32_224_HowTo100M.pyth', { samplingFps: 30, frameStride: 32, windowFrames: 96, windowStrideFrames: 48, imageSize: 224 }],
  ])('%s samples its training clip', (id, sampling) => {
    expect(presetFor(entry(id))).toEqual(sampling);
  });
});

describe('parseCatalog refuses a bad catalog', () => {
  const good = (): { format: string; version: number; models: Record<string, unknown>[] } => ({
    format: 'longview-model-catalog',
    version: 1,
    models: [
      { id: 'org/model', source: 'hub', title: 'A model', preset: { frames: 8, frameStride: 32, imageSize: 224 }, labelSet: 'Kinetics-400', classes: 400, license: 'CC BY-NC 4.0', downloadBytes: 1000 },
      { id: 'Model.pyth', source: 'file', title: 'A file', preset: { frames: 8, frameStride: 32, imageSize: 224 }, labelSet: 'Kinetics-600', classes: 600, license: 'CC BY-NC 4.0', downloadBytes: null, fileNames: ['Model.pyth'] },
    ],
  });

  it('accepts the well-formed catalog these cases start from', () => {
    expect(parseCatalog(good(), 'test').map((item) => item.id)).toEqual(['org/model', 'Model.pyth']);
  });

  it.each<[string, (catalog: ReturnType<typeof good>) => void, RegExp]>([
    ['a wrong format', (bad) => (bad.format = 'other'), /format must be/],
    ['a future version', (bad) => (bad.version = 2), /version must be 1/],
    ['no models', (bad) => (bad.models = []), /non-empty list/],
    ['an unknown field', (bad) => (bad.models[0]!['size'] = 3), /unknown field "size"/],
    ['an unknown source', (bad) => (bad.models[0]!['source'] = 'url'), /source must be/],
    ['a hub id without an org', (bad) => (bad.models[0]!['id'] = 'model'), /not a Hub repo id/],
    ['a missing title', (bad) => delete bad.models[0]!['title'], /title must be non-empty text/],
    ['zero frames', (bad) => (bad.models[0]!['preset'] = { frames: 0, frameStride: 32, imageSize: 224 }), /frames must be a whole number/],
    ['a fractional stride', (bad) => (bad.models[0]!['preset'] = { frames: 8, frameStride: 2.5, imageSize: 224 }), /frameStride must be a whole number/],
    ['a preset with an extra field', (bad) => (bad.models[0]!['preset'] = { frames: 8, frameStride: 32, imageSize: 224, fps: 30 }), /unknown field "fps"/],
    ['an unknown label set', (bad) => (bad.models[0]!['labelSet'] = 'Kinetics-700'), /labelSet/],
    ['classes that contradict the label set', (bad) => (bad.models[0]!['classes'] = 600), /Kinetics-400 has 400/],
    ['a negative size', (bad) => (bad.models[0]!['downloadBytes'] = -1), /downloadBytes/],
    ['a size in text', (bad) => (bad.models[0]!['downloadBytes'] = '486 MB'), /downloadBytes/],
    ['a revision with a space', (bad) => (bad.models[0]!['safetensorsRevision'] = 'refs pr'), /safetensorsRevision/],
    ['file names on a hub entry', (bad) => (bad.models[0]!['fileNames'] = ['a.pyth']), /must not list fileNames/],
    ['a file entry without names', (bad) => delete bad.models[1]!['fileNames'], /fileNames must be a non-empty list/],
    ['a file name with a folder', (bad) => (bad.models[1]!['fileNames'] = ['Model.pyth', '../Model.pyth']), /not a plain file name/],
    ['a file id missing from its names', (bad) => (bad.models[1]!['fileNames'] = ['Other.pyth']), /must be one of its fileNames/],
    ['a file entry with a download size', (bad) => (bad.models[1]!['downloadBytes'] = 5), /downloadBytes must be null/],
    ['a file entry with a revision', (bad) => (bad.models[1]!['safetensorsRevision'] = 'main'), /must not have a safetensorsRevision/],
    ['empty notes', (bad) => (bad.models[0]!['notes'] = []), /notes must be a non-empty list/],
    ['a duplicate id in another case', (bad) => bad.models.push({ ...bad.models[0]!, id: 'Org/Model' }), /more than one entry/],
  ])('%s', (_what, spoil, message) => {
    const bad = good();
    spoil(bad);
    let thrown: unknown;
    try {
      parseCatalog(bad, 'test');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LongviewError);
    expect(thrown).toMatchObject({ kind: 'internal', reason: 'bad-catalog' });
    expect((thrown as Error).message).toMatch(message);
  });

  it.each([null, [], 'catalog', 42])('refuses %j as a whole catalog', (value) => {
    expect(() => parseCatalog(value, 'test')).toThrow(/must be an object/);
  });
});
