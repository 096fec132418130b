/**
 * The models a user registered with `longview models add`: `<data folder>/models.json`, a list of
 * absolute paths with the time each was added. The list is only a convenience, so a damaged file
 * never stops Longview: it is read as empty with a warning (and kept as `models.json.bak` when the
 * next change replaces it). Changes are written atomically, so a crash never leaves half a list.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';
import { openModelCheckpoint } from '../model/load-model.js';
import { readTextFile } from '../model/weights/file-reading.js';

export const REGISTRY_FILE_NAME = 'models.json';
export const REGISTRY_FORMAT = 'longview-models';
export const REGISTRY_VERSION = 1;

export interface RegisteredModel {
  /** Absolute path of a model folder or file, as it was when added. */
  path: string;
  /** ISO 8601. */
  addedAt: string;
}

export interface RegistryOptions {
  /** Told about a damaged models.json or entry; defaults to a "warning: ..." line on stderr. */
  onWarning?: (message: string) => void;
  /** The clock, for tests; defaults to now. */
  now?: () => Date;
}

/** A real list is a few hundred bytes; anything this big is not ours. */
const MAX_REGISTRY_BYTES = 4 * 1024 * 1024;

export function registryPath(dataFolder: string): string {
  return join(dataFolder, REGISTRY_FILE_NAME);
}

/** The registered models, oldest first. A missing file is an empty list; a damaged one, an empty list and a warning. */
export function registeredModels(dataFolder: string, options: RegistryOptions = {}): RegisteredModel[] {
  const path = registryPath(dataFolder);
  if (!existsSync(path)) return [];
  const warn = options.onWarning ?? warnOnStandardError;
  let text: string;
  try {
    text = readTextFile(path, MAX_REGISTRY_BYTES);
  } catch (error) {
    warn(`${path} cannot be read (${(error as Error).message}); added models are not listed until it is fixed or removed.`);
    return [];
  }
  return parseRegistry(text, path, warn);
}

/**
 * models.json's text → its entries. Pure. A file that is not the expected object yields no
 * entries; a bad entry (not an absolute path, a bad date) is skipped; each with a warning.
 * Duplicates keep the first.
 */
export function parseRegistry(text: string, origin: string, warn: (message: string) => void): RegisteredModel[] {
  const ignored = `${origin} is damaged and was ignored: it will be replaced (and kept as ${REGISTRY_FILE_NAME}.bak) the next time a model is added or removed.`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    warn(`${ignored} (It is not valid JSON.)`);
    return [];
  }
  const raw = value as { format?: unknown; version?: unknown; models?: unknown } | null;
  if (typeof raw !== 'object' || raw === null || raw.format !== REGISTRY_FORMAT || raw.version !== REGISTRY_VERSION || !Array.isArray(raw.models)) {
    warn(`${ignored} (It is not a version ${REGISTRY_VERSION} "${REGISTRY_FORMAT}" list.)`);
    return [];
  }
  const models: RegisteredModel[] = [];
  raw.models.forEach((item: unknown, position: number) => {
    const entry = item as { path?: unknown; addedAt?: unknown } | null;
    const path = typeof entry === 'object' && entry !== null ? entry.path : undefined;
    const addedAt = typeof entry === 'object' && entry !== null ? entry.addedAt : undefined;
    if (typeof path !== 'string' || !isAbsolute(path) || typeof addedAt !== 'string' || Number.isNaN(Date.parse(addedAt))) {
      warn(`${origin}: entry ${position + 1} is not an absolute path with the time it was added, so it was skipped.`);
      return;
    }
    if (!models.some((model) => model.path === path)) models.push({ path, addedAt });
  });
  return models;
}

/** models.json's text for a list of entries. Pure. */
export function serializeRegistry(models: readonly RegisteredModel[]): string {
  return `${JSON.stringify({ format: REGISTRY_FORMAT, version: REGISTRY_VERSION, models }, null, 2)}\n`;
}

/**
 * Registers a model folder or file. It must open as a TimeSformer checkpoint (only headers are
 * read); the ModelError saying why not is thrown otherwise. Adding a registered path again
 * changes nothing. Returns the entry and whether it is new.
 */
export function addModel(path: string, dataFolder: string, options: RegistryOptions = {}): { model: RegisteredModel; added: boolean } {
  const absolute = resolve(path);
  openModelCheckpoint(absolute).source.close();
  const models = registeredModels(dataFolder, options);
  const existing = models.find((model) => model.path === absolute);
  if (existing !== undefined) return { model: existing, added: false };
  const model: RegisteredModel = { path: absolute, addedAt: (options.now?.() ?? new Date()).toISOString() };
  mkdirSync(dataFolder, { recursive: true });
  writeFileAtomic(registryPath(dataFolder), serializeRegistry([...models, model]));
  return { model, added: true };
}

/** Forgets a registered path (the files stay where they are). Returns false when it was not registered. */
export function removeModel(path: string, dataFolder: string, options: RegistryOptions = {}): boolean {
  const absolute = resolve(path);
  const models = registeredModels(dataFolder, options);
  const remaining = models.filter((model) => model.path !== absolute);
  if (remaining.length === models.length) return false;
  writeFileAtomic(registryPath(dataFolder), serializeRegistry(remaining));
  return true;
}

function warnOnStandardError(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}
