/**
 * Every TimeSformer on this machine, wherever it lives: snapshots in the Hugging Face cache
 * (`models--org--name/snapshots/<commit>/`, files linked to `blobs/`), Longview's own
 * `<data folder>/models/`, and the paths the user added. Each is opened lazily (headers only, never
 * the weights) to learn its classes, preset and license. A model that cannot be opened is listed
 * with the reason instead of hidden, and listing never throws for a bad model.
 */
import { existsSync, lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { declaredFrameStride } from '../analysis/trained-stride.js';
import { resolveSampling } from '../analysis/sampling.js';
import type { CatalogEntry, InputPreset, LocalModel } from '../shared/models.js';
import { numLabels, type TimesformerConfig } from '../model/config.js';
import { detectLicense, openModelCheckpoint, type ModelCheckpoint } from '../model/load-model.js';
import { readTextFile } from '../model/weights/file-reading.js';
import { findCatalogEntry } from './catalog.js';
import { isCommitHash } from './hub/repository-reference.js';
import { registeredModels } from './model-registry.js';
import { FOLDER_WEIGHTS } from '../model/weights/load-checkpoint.js';

export interface LocalModelSources {
  /** The Hugging Face hub cache (HF_HUB_CACHE, by default ~/.cache/huggingface/hub); undefined skips it. */
  hubCacheDirectory: string | undefined;
  /** Longview's data folder: models live in `<dataFolder>/models`, added paths in `<dataFolder>/models.json`. */
  dataFolder: string;
  /** Told about a damaged models.json; defaults to a line on stderr. */
  onWarning?: (message: string) => void;
}

/** A place that may hold a model, before it is opened. */
interface Candidate {
  reference: string;
  path: string;
  location: LocalModel['location'];
  /** Found while scanning (a missing blob, an unfinished download): the model is not opened. */
  problem: string | null;
}

/** Single-file checkpoints in the app folder are recognised by these extensions; other files there are ignored. */
const CHECKPOINT_EXTENSIONS = new Set(['.safetensors', '.bin', '.pyth', '.pth', '.pt']);
/** HF architectures that mean "a TimeSformer" in config.json. */
const TIMESFORMER_ARCHITECTURES = new Set(['TimesformerForVideoClassification', 'TimesformerModel']);
/** A config.json is tens of kilobytes (600 labels); anything far bigger is not one. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** How deep a model folder is walked to add up its size; real repos nest a level or two. */
const MAX_SIZE_DEPTH = 4;
const UNKNOWN_LICENSE = 'unknown (the checkpoint does not say)';

/** HF cache models first (by Hub id), then the app folder (by name), then added paths (oldest first); each place once. */
export function listLocalModels(sources: LocalModelSources): LocalModel[] {
  const registryOptions = sources.onWarning === undefined ? {} : { onWarning: sources.onWarning };
  const candidates = [
    ...(sources.hubCacheDirectory === undefined ? [] : hubCacheCandidates(sources.hubCacheDirectory)),
    ...appFolderCandidates(join(sources.dataFolder, 'models')),
    ...registeredModels(sources.dataFolder, registryOptions).map((model): Candidate => ({ reference: model.path, path: model.path, location: 'added', problem: null })),
  ];
  const seen = new Set<string>();
  const unique = candidates.filter((candidate) => {
    const key = realPathOrResolved(candidate.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.map(describeCandidate);
}

/** Opens one candidate (headers only) and settles what the listing shows about it. */
function describeCandidate(candidate: Candidate): LocalModel {
  let problem = candidate.problem;
  if (problem === null && !existsSync(candidate.path)) {
    problem = `${candidate.path} is not there any more (moved or deleted): add it again from where it is now, or remove it from the list.`;
  }
  let checkpoint: ModelCheckpoint | undefined;
  if (problem === null) {
    try {
      checkpoint = openModelCheckpoint(candidate.path);
      checkpoint.source.close();
    } catch (error) {
      problem = error instanceof Error ? error.message : `it cannot be opened (${typeof error})`;
    }
  }
  const named = findCatalogEntry(candidate.reference);
  // A name is only a hint: a file called like a released checkpoint that holds another model is not that checkpoint.
  const entry = named !== undefined && (checkpoint === undefined || agreesWithCatalog(named, checkpoint.config)) ? named : undefined;
  return {
    reference: candidate.reference,
    path: candidate.path,
    location: candidate.location,
    catalogId: entry?.id ?? null,
    sizeBytes: sizeOnDisk(candidate.path),
    license: chooseLicense(candidate.path, checkpoint, entry),
    preset: entry?.preset ?? (checkpoint === undefined ? null : presetFromConfig(checkpoint.config, declaredStrideOrNone(checkpoint.files))),
    classes: checkpoint === undefined ? (entry?.classes ?? null) : checkpoint.labels.length,
    problem,
  };
}

/** A declared stride that is itself broken shows up when the model is used; the listing falls back to the preset. */
function declaredStrideOrNone(files: readonly string[]): number | undefined {
  try {
    return declaredFrameStride(files);
  } catch {
    return undefined;
  }
}

/** The checkpoint has the catalog entry's clip length, resolution and class count. */
function agreesWithCatalog(entry: CatalogEntry, config: TimesformerConfig): boolean {
  return entry.preset.frames === config.num_frames && entry.preset.imageSize === config.image_size && entry.classes === numLabels(config);
}

/**
 * A checkpoint outside the catalog is fed at the stride it declares (`trainedStride`, see
 * src/analysis/trained-stride.ts), else like the released model of its length: num_frames frames
 * at the preset stride for that length (src/analysis/sampling.ts), image_size pixels. Null when
 * its frame count is beyond what an analysis accepts.
 */
export function presetFromConfig(config: TimesformerConfig, trainedStride?: number): InputPreset | null {
  try {
    const sampling = resolveSampling({ modelFrames: config.num_frames, imageSize: config.image_size, frameStride: trainedStride });
    return { frames: config.num_frames, frameStride: sampling.frameStride, imageSize: config.image_size };
  } catch {
    return null;
  }
}

/** The model card's or checkpoint's own license first, then the catalog's, then "unknown". */
function chooseLicense(path: string, checkpoint: ModelCheckpoint | undefined, entry: CatalogEntry | undefined): string {
  let detected: string | undefined = checkpoint?.license;
  if (detected === undefined) {
    try {
      detected = detectLicense(path, 'unknown');
    } catch {
      // A folder that vanished or cannot be read has no model card to read.
    }
  }
  if (detected !== undefined && detected !== UNKNOWN_LICENSE) return detected;
  return entry?.license ?? UNKNOWN_LICENSE;
}

/**
 * Hub models in an HF cache: one candidate per `models--*` folder whose snapshot is a TimeSformer.
 * Other models (bert, ...) and folders that say nothing are skipped silently; a known repo whose
 * config is missing, or a TimeSformer whose weights are missing, is a candidate with a problem.
 */
function hubCacheCandidates(cacheDirectory: string): Candidate[] {
  const candidates: Candidate[] = [];
  for (const name of readFolderQuietly(cacheDirectory).sort()) {
    if (!name.startsWith('models--')) continue;
    // "models--org--name" → "org/name"; canonical repos without an org are "models--name".
    const reference = name.slice('models--'.length).split('--').join('/');
    const snapshot = chooseSnapshot(join(cacheDirectory, name));
    if (snapshot === undefined) continue;
    const kind = snapshotKind(snapshot);
    if (kind === 'other') continue;
    if (kind === 'unreadable') {
      if (findCatalogEntry(reference) === undefined) continue;
      candidates.push({ reference, path: snapshot, location: 'hf-cache', problem: `${join(snapshot, 'config.json')} is missing or damaged: download ${reference} again.` });
      continue;
    }
    candidates.push({ reference, path: snapshot, location: 'hf-cache', problem: snapshotWeightsProblem(snapshot, reference) });
  }
  return candidates;
}

/** The snapshot `refs/main` names when it exists, else the most recently written one. */
function chooseSnapshot(repositoryFolder: string): string | undefined {
  const snapshots = join(repositoryFolder, 'snapshots');
  const main = readSmallTextQuietly(join(repositoryFolder, 'refs', 'main'))?.trim();
  // refs/main holds a 40-hex commit; anything else (a path like "..") is not followed.
  if (main !== undefined && isCommitHash(main) && isFolder(join(snapshots, main))) return join(snapshots, main);
  let newest: { path: string; modified: number } | undefined;
  for (const name of readFolderQuietly(snapshots)) {
    const path = join(snapshots, name);
    const stats = statQuietly(path);
    if (stats?.isDirectory() && (newest === undefined || stats.mtimeMs > newest.modified)) newest = { path, modified: stats.mtimeMs };
  }
  return newest?.path;
}

/** What the snapshot's config.json says it is; 'unreadable' when there is no readable JSON config. */
function snapshotKind(snapshot: string): 'timesformer' | 'other' | 'unreadable' {
  const text = readSmallTextQuietly(join(snapshot, 'config.json'));
  if (text === undefined) return 'unreadable';
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return 'unreadable';
  }
  if (typeof config !== 'object' || config === null) return 'unreadable';
  const { model_type: modelType, architectures } = config as { model_type?: unknown; architectures?: unknown };
  const namesTimesformer = Array.isArray(architectures) && architectures.some((name) => typeof name === 'string' && TIMESFORMER_ARCHITECTURES.has(name));
  return modelType === 'timesformer' || namesTimesformer ? 'timesformer' : 'other';
}

/** A link to a blob that is gone, or no weights at all (a download that never finished). */
function snapshotWeightsProblem(snapshot: string, reference: string): string | null {
  const names = readFolderQuietly(snapshot).sort();
  const dangling = names.find((name) => /\.(safetensors|bin|json)$/.test(name) && lstatQuietly(join(snapshot, name))?.isSymbolicLink() === true && !existsSync(join(snapshot, name)));
  if (dangling !== undefined) return `${join(snapshot, dangling)} links to a blob that is missing from the cache: download ${reference} again.`;
  if (!FOLDER_WEIGHTS.some((name) => names.includes(name))) return `${snapshot} has a config but no weights (the download did not finish): download ${reference} again.`;
  return null;
}

/** Folders and checkpoint files directly in `<data folder>/models`, by name; hidden entries are skipped. */
function appFolderCandidates(modelsFolder: string): Candidate[] {
  const candidates: Candidate[] = [];
  for (const name of readFolderQuietly(modelsFolder).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(modelsFolder, name);
    const stats = statQuietly(path);
    const looksLikeModel = stats?.isDirectory()
      ? ['config.json', ...FOLDER_WEIGHTS].some((file) => existsSync(join(path, file)))
      : stats?.isFile() === true && CHECKPOINT_EXTENSIONS.has(extname(name).toLowerCase());
    if (looksLikeModel) candidates.push({ reference: path, path, location: 'app', problem: null });
  }
  return candidates;
}

/**
 * Bytes on disk: a file's size, or a folder's files added up with links followed and each file
 * (blob) counted once, so an HF snapshot counts the blobs it links to. 0 when nothing is there.
 */
function sizeOnDisk(path: string): number {
  const counted = new Set<string>();
  const visit = (entryPath: string, depth: number): number => {
    const stats = statQuietly(entryPath);
    if (stats === undefined) return 0;
    if (stats.isFile()) {
      const identity = `${stats.dev}:${stats.ino}`;
      if (counted.has(identity)) return 0;
      counted.add(identity);
      return stats.size;
    }
    // Linked folders are not followed: a link back up would loop.
    if (!stats.isDirectory() || depth > MAX_SIZE_DEPTH || lstatQuietly(entryPath)?.isSymbolicLink() === true) return 0;
    return readFolderQuietly(entryPath).reduce((total, name) => total + visit(join(entryPath, name), depth + 1), 0);
  };
  return visit(path, 0);
}

function realPathOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function readFolderQuietly(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function statQuietly(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lstatQuietly(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function isFolder(path: string): boolean {
  return statQuietly(path)?.isDirectory() === true;
}

/** A small regular file's text (refs/main, config.json), or undefined when it is missing, not a file or too big. */
function readSmallTextQuietly(path: string): string | undefined {
  try {
    return readTextFile(path, MAX_CONFIG_BYTES);
  } catch {
    return undefined;
  }
}
