/**
 * The added-models list: add validates and is idempotent, remove forgets, a damaged models.json is
 * read as empty with a warning and replaced (kept as .bak) on the next change.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addModel, parseRegistry, registeredModels, registryPath, removeModel, serializeRegistry } from '../../src/models/model-registry.js';
import { LongviewError } from '../../src/shared/errors.js';

const FIXTURE = resolve('test/fixtures/timesformer/divided-tiny');
const SAFETENSORS = join(FIXTURE, 'model.safetensors');
const OFFICIAL = join(FIXTURE, 'official.pyth');
const NOW = (): Date => new Date('2024-05-06T07:08:09.000Z');

let dataFolder: string;
let warnings: string[];
const options = (): { onWarning: (message: string) => void; now: () => Date } => ({ onWarning: (message) => warnings.push(message), now: NOW });

beforeEach(() => {
  dataFolder = mkdtempSync(join(tmpdir(), 'longview-registry-'));
  warnings = [];
});
afterEach(() => rmSync(dataFolder, { recursive: true, force: true }));

describe('addModel and removeModel', () => {
  it('starts empty without a models.json', () => {
    expect(registeredModels(dataFolder, options())).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('stores the absolute path of a folder or file that opens as a checkpoint', () => {
    expect(addModel(relative(process.cwd(), FIXTURE), dataFolder, options())).toEqual({ model: { path: FIXTURE, addedAt: '2024-05-06T07:08:09.000Z' }, added: true });
    expect(addModel(OFFICIAL, dataFolder, options()).added).toBe(true);
    expect(registeredModels(dataFolder, options()).map((model) => model.path)).toEqual([FIXTURE, OFFICIAL]);
    const stored = JSON.parse(readFileSync(registryPath(dataFolder), 'utf8'));
    expect(stored).toEqual({ format: 'longview-models', version: 1, models: [
      { path: FIXTURE, addedAt: '2024-05-06T07:08:09.000Z' },
      { path: OFFICIAL, addedAt: '2024-05-06T07:08:09.000Z' },
    ] });
  });

  it('changes nothing when the same path is added again', () => {
    addModel(SAFETENSORS, dataFolder, options());
    const before = readFileSync(registryPath(dataFolder), 'utf8');
    const again = addModel(`${FIXTURE}/./model.safetensors`, dataFolder, { now: () => new Date('2030-01-01T00:00:00Z') });
    expect(again).toEqual({ model: { path: SAFETENSORS, addedAt: '2024-05-06T07:08:09.000Z' }, added: false });
    expect(readFileSync(registryPath(dataFolder), 'utf8')).toBe(before);
  });

  it('creates the data folder when it does not exist yet', () => {
    const nested = join(dataFolder, 'not', 'yet');
    addModel(FIXTURE, nested, options());
    expect(registeredModels(nested, options()).length).toBe(1);
  });

  it.each([
    ['a missing path', (): string => join(dataFolder, 'nothing-here')],
    ['a text file', (): string => { const path = join(dataFolder, 'notes.txt'); writeFileSync(path, 'not a model'); return path; }],
    ['the fixture\'s meta.json, which is not a model', (): string => join(FIXTURE, 'meta.json')],
  ])('refuses %s with a model error and writes nothing', (_what, makePath) => {
    let thrown: unknown;
    try {
      addModel(makePath(), dataFolder, options());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LongviewError);
    expect(thrown).toMatchObject({ kind: 'model' });
    expect(existsSync(registryPath(dataFolder))).toBe(false);
  });

  it('forgets a path, and says when it was not registered', () => {
    addModel(FIXTURE, dataFolder, options());
    addModel(OFFICIAL, dataFolder, options());
    expect(removeModel(`${FIXTURE}/`, dataFolder, options())).toBe(true);
    expect(registeredModels(dataFolder, options()).map((model) => model.path)).toEqual([OFFICIAL]);
    expect(removeModel(FIXTURE, dataFolder, options())).toBe(false);
    expect(existsSync(FIXTURE)).toBe(true);
  });
});

describe('a damaged models.json', () => {
  it.each([
    ['not JSON', '{"format": "longview-models", "version": 1, "models": [', /not valid JSON/],
    ['an empty file', '', /not valid JSON/],
    ['a bare list', '[]', /not a version 1/],
    ['another format', '{"format": "other", "version": 1, "models": []}', /not a version 1/],
    ['a newer version', '{"format": "longview-models", "version": 2, "models": []}', /not a version 1/],
    ['models that are not a list', '{"format": "longview-models", "version": 1, "models": {}}', /not a version 1/],
  ])('%s is read as no models with one warning', (_what, text, why) => {
    writeFileSync(registryPath(dataFolder), text);
    expect(registeredModels(dataFolder, options())).toEqual([]);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toContain(registryPath(dataFolder));
    expect(warnings[0]).toMatch(why);
  });

  it('is replaced by the next add and kept as models.json.bak', () => {
    writeFileSync(registryPath(dataFolder), 'garbage');
    addModel(FIXTURE, dataFolder, options());
    expect(registeredModels(dataFolder, options()).map((model) => model.path)).toEqual([FIXTURE]);
    expect(readFileSync(`${registryPath(dataFolder)}.bak`, 'utf8')).toBe('garbage');
  });

  it('loses only its bad entries', () => {
    const text = JSON.stringify({ format: 'longview-models', version: 1, models: [
      { path: '/models/a', addedAt: '2024-01-01T00:00:00.000Z' },
      { path: 'relative/b', addedAt: '2024-01-01T00:00:00.000Z' },
      { path: '/models/c', addedAt: 'yesterday' },
      'just text',
      null,
      { path: '/models/a', addedAt: '2024-02-02T00:00:00.000Z' },
      { path: '/models/d', addedAt: '2024-03-03T00:00:00.000Z' },
    ] });
    expect(parseRegistry(text, 'models.json', (message) => warnings.push(message))).toEqual([
      { path: '/models/a', addedAt: '2024-01-01T00:00:00.000Z' },
      { path: '/models/d', addedAt: '2024-03-03T00:00:00.000Z' },
    ]);
    expect(warnings.map((message) => /entry (\d+)/.exec(message)?.[1])).toEqual(['2', '3', '4', '5']);
  });

  it('round-trips through its own serialization', () => {
    const models = [{ path: '/models/a', addedAt: '2024-01-01T00:00:00.000Z' }];
    expect(parseRegistry(serializeRegistry(models), 'models.json', (message) => warnings.push(message))).toEqual(models);
    expect(warnings).toEqual([]);
  });
});
