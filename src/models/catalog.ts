/**
 * The catalog of released TimeSformer checkpoints Longview knows by name
 * (resources/models/catalog.json): read once, every field checked, then looked up by Hub id, by
 * HF-cache path or by official file name. The catalog ships with Longview, so a bad one is our
 * bug (an internal error), never the user's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelIdentifier } from '../analysis/model-identifier.js';
import { resolveSampling } from '../analysis/sampling.js';
import type { SamplingParams } from '../shared/analysis.js';
import { LongviewError } from '../shared/errors.js';
import type { CatalogEntry, InputPreset } from '../shared/models.js';
import { describeValue } from '../model/describe-value.js';
import { resourcesDirectory } from '../model/resources.js';

export const CATALOG_FORMAT = 'longview-model-catalog';
export const CATALOG_VERSION = 1;

/** Every label set the catalog may name, with the class count its head must have. */
export const LABEL_SET_CLASSES: ReadonlyMap<string, number> = new Map([
  ['Kinetics-400', 400],
  ['Kinetics-600', 600],
  ['Something-Something-v2', 174],
  ['HowTo100M', 1059],
]);

const ENTRY_FIELDS = new Set(['id', 'source', 'title', 'preset', 'labelSet', 'classes', 'license', 'downloadBytes', 'safetensorsRevision', 'fileNames', 'notes']);
const PRESET_FIELDS = new Set(['frames', 'frameStride', 'imageSize']);
/** "org/name", the Hub's repo id syntax. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;
/** A plain file name: no folders, no leading dot. */
const PLAIN_FILE_NAME = /^[A-Za-z0-9][\w.-]*$/;
/** A branch, tag, commit or pull-request ref such as "refs/pr/5". */
const REVISION = /^(?:refs\/pr\/\d+|[A-Za-z0-9][\w.-]*)$/;
/** The same bounds as the sampling flags (src/analysis/sampling.ts) and config.json (src/model/config.ts). */
const MAX_FRAMES = 384;
const MAX_FRAME_STRIDE = 1000;
const MAX_IMAGE_SIZE = 8192;

let cachedCatalog: readonly CatalogEntry[] | undefined;

/** The shipped catalog, read and validated on the first call. Throws LongviewError('internal', 'bad-catalog'). */
export function loadCatalog(): CatalogEntry[] {
  if (cachedCatalog === undefined) {
    const path = join(resourcesDirectory(), 'models', 'catalog.json');
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new LongviewError('internal', 'bad-catalog', `The model catalog ${path} cannot be read as JSON; reinstall Longview.`, { cause: error });
    }
    cachedCatalog = parseCatalog(value, path).map(freezeEntry);
  }
  return [...cachedCatalog];
}

/**
 * Checks a parsed catalog file field by field and returns its entries. Unknown fields, missing
 * fields, duplicate ids or file names and class counts that contradict the label set are all
 * refused, naming the entry and the field.
 */
export function parseCatalog(value: unknown, origin: string): CatalogEntry[] {
  const top = expectObject(value, origin, 'the file');
  for (const key of Object.keys(top)) if (!['format', 'version', 'models'].includes(key)) fail(origin, `unknown top-level field "${key}"`);
  if (top['format'] !== CATALOG_FORMAT) fail(origin, `format must be "${CATALOG_FORMAT}", got ${describeValue(top['format'])}`);
  if (top['version'] !== CATALOG_VERSION) fail(origin, `version must be ${CATALOG_VERSION}, got ${describeValue(top['version'])}`);
  const models = top['models'];
  if (!Array.isArray(models) || models.length === 0) fail(origin, 'models must be a non-empty list');
  const entries = models.map((item, position) => parseEntry(item, origin, `models[${position}]`));
  checkUnique(entries, origin);
  return entries;
}

function parseEntry(value: unknown, origin: string, where: string): CatalogEntry {
  const raw = expectObject(value, origin, where);
  for (const key of Object.keys(raw)) if (!ENTRY_FIELDS.has(key)) fail(origin, `${where} has an unknown field "${key}"`);
  const source = raw['source'];
  if (source !== 'hub' && source !== 'file') fail(origin, `${where}.source must be "hub" or "file", got ${describeValue(source)}`);
  const id = expectText(raw['id'], origin, `${where}.id`);
  const labelSet = expectText(raw['labelSet'], origin, `${where}.labelSet`);
  const expectedClasses = LABEL_SET_CLASSES.get(labelSet);
  if (expectedClasses === undefined) fail(origin, `${where}.labelSet ${describeValue(labelSet)} is not one of ${[...LABEL_SET_CLASSES.keys()].join(', ')}`);
  const classes = expectInteger(raw['classes'], 1, 1_000_000, origin, `${where}.classes`);
  if (classes !== expectedClasses) fail(origin, `${where}.classes is ${classes} but ${labelSet} has ${expectedClasses}`);
  const entry: CatalogEntry = {
    id,
    source,
    title: expectText(raw['title'], origin, `${where}.title`),
    preset: parsePreset(raw['preset'], origin, `${where}.preset`),
    labelSet,
    classes,
    license: expectText(raw['license'], origin, `${where}.license`),
    downloadBytes: raw['downloadBytes'] === null ? null : expectInteger(raw['downloadBytes'], 1, Number.MAX_SAFE_INTEGER, origin, `${where}.downloadBytes`),
  };
  if (source === 'hub') {
    if (!HUB_ID.test(id)) fail(origin, `${where}.id ${describeValue(id)} is not a Hub repo id ("org/name")`);
    if (raw['fileNames'] !== undefined) fail(origin, `${where} is a hub entry and must not list fileNames`);
    if (raw['safetensorsRevision'] !== undefined) {
      const revision = expectText(raw['safetensorsRevision'], origin, `${where}.safetensorsRevision`);
      if (!REVISION.test(revision)) fail(origin, `${where}.safetensorsRevision ${describeValue(revision)} is not a revision such as "refs/pr/5"`);
      entry.safetensorsRevision = revision;
    }
  } else {
    if (raw['safetensorsRevision'] !== undefined) fail(origin, `${where} is a file entry and must not have a safetensorsRevision`);
    if (entry.downloadBytes !== null) fail(origin, `${where} is a file entry (nothing to download): downloadBytes must be null`);
    const fileNames = expectTextList(raw['fileNames'], origin, `${where}.fileNames`);
    const badName = fileNames.find((name) => !PLAIN_FILE_NAME.test(name));
    if (badName !== undefined) fail(origin, `${where}.fileNames has ${describeValue(badName)}, which is not a plain file name`);
    if (!fileNames.includes(id)) fail(origin, `${where}.id must be one of its fileNames`);
    entry.fileNames = fileNames;
  }
  if (raw['notes'] !== undefined) entry.notes = expectTextList(raw['notes'], origin, `${where}.notes`);
  return entry;
}

function parsePreset(value: unknown, origin: string, where: string): InputPreset {
  const raw = expectObject(value, origin, where);
  for (const key of Object.keys(raw)) if (!PRESET_FIELDS.has(key)) fail(origin, `${where} has an unknown field "${key}"`);
  return {
    frames: expectInteger(raw['frames'], 1, MAX_FRAMES, origin, `${where}.frames`),
    frameStride: expectInteger(raw['frameStride'], 1, MAX_FRAME_STRIDE, origin, `${where}.frameStride`),
    imageSize: expectInteger(raw['imageSize'], 1, MAX_IMAGE_SIZE, origin, `${where}.imageSize`),
  };
}

/** Ids and file names are matched case-insensitively, so they must be unique that way too. */
function checkUnique(entries: readonly CatalogEntry[], origin: string): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const keys = new Set([entry.id, ...(entry.fileNames ?? [])].map((key) => key.toLowerCase()));
    for (const key of keys) {
      if (seen.has(key)) fail(origin, `"${key}" names more than one entry`);
      seen.add(key);
    }
  }
}

function expectObject(value: unknown, origin: string, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(origin, `${where} must be an object, got ${describeValue(value)}`);
  return value as Record<string, unknown>;
}

function expectText(value: unknown, origin: string, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(origin, `${where} must be non-empty text, got ${describeValue(value)}`);
  return value;
}

function expectTextList(value: unknown, origin: string, where: string): string[] {
  if (!Array.isArray(value) || value.length === 0) fail(origin, `${where} must be a non-empty list of text, got ${describeValue(value)}`);
  return value.map((item, position) => expectText(item, origin, `${where}[${position}]`));
}

function expectInteger(value: unknown, minimum: number, maximum: number, origin: string, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
    fail(origin, `${where} must be a whole number from ${minimum} to ${maximum}, got ${describeValue(value)}`);
  }
  return value;
}

function fail(origin: string, what: string): never {
  throw new LongviewError('internal', 'bad-catalog', `The model catalog ${origin} is invalid: ${what}; reinstall Longview or report this bug.`);
}

/** The cache hands the same entries to every caller; freezing stops one caller changing them for all. */
function freezeEntry(entry: CatalogEntry): CatalogEntry {
  Object.freeze(entry.preset);
  if (entry.fileNames !== undefined) Object.freeze(entry.fileNames);
  if (entry.notes !== undefined) Object.freeze(entry.notes);
  return Object.freeze(entry);
}

/**
 * The entry for a Hub id ("facebook/timesformer-base-finetuned-k400", any case, an "@revision"
 * suffix ignored), an HF-cache path (".../models--facebook--timesformer-base-finetuned-k400/
 * snapshots/<commit>/...") or a path whose file name is an official one
 * (".../TimeSformer_divST_8x32_224_K400.pyth"). Undefined when nothing matches.
 */
export function findCatalogEntry(idOrPath: string, entries: readonly CatalogEntry[] = loadCatalog()): CatalogEntry | undefined {
  const text = idOrPath.trim();
  const withoutRevision = /^([\w.-]+\/[\w.-]+)@\S+$/.exec(text)?.[1] ?? text;
  const byHubId = findHubEntry(withoutRevision, entries);
  if (byHubId !== undefined) return byHubId;
  // A path: the HF cache's folder names the repo; anything else is known by its file name
  // (split on both separators, so a Windows path read on another system still matches).
  const fileName = text.split(/[\\/]/).filter((part) => part !== '').pop() ?? '';
  return findHubEntry(modelIdentifier(text), entries) ?? findFileEntry(fileName, entries);
}

/**
 * A Hub id as it should be fetched or looked up: "org/name@<safetensorsRevision>" when the catalog
 * knows that `main` has only a pickle and another revision has safetensors (e.g. refs/pr/5), else
 * the id unchanged. An id that names its own revision ("org/name@rev") is always kept as typed.
 */
export function withSafetensorsRevision(hubId: string, entries: readonly CatalogEntry[] = loadCatalog()): string {
  if (hubId.includes('@')) return hubId;
  const revision = findCatalogEntry(hubId, entries)?.safetensorsRevision;
  return revision === undefined ? hubId : `${hubId}@${revision}`;
}

function findHubEntry(id: string, entries: readonly CatalogEntry[]): CatalogEntry | undefined {
  const wanted = id.toLowerCase();
  return entries.find((entry) => entry.source === 'hub' && entry.id.toLowerCase() === wanted);
}

function findFileEntry(fileName: string, entries: readonly CatalogEntry[]): CatalogEntry | undefined {
  const wanted = fileName.toLowerCase();
  return entries.find((entry) => entry.source === 'file' && (entry.fileNames ?? []).some((name) => name.toLowerCase() === wanted));
}

/**
 * How an analysis samples for this checkpoint: its training clip (frames, stride at 30 fps,
 * image size) as a window, with windows half a window apart (the analysis default).
 */
export function presetFor(entry: CatalogEntry): SamplingParams {
  return resolveSampling({ modelFrames: entry.preset.frames, frameStride: entry.preset.frameStride, imageSize: entry.preset.imageSize });
}
