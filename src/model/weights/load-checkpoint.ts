/**
 * A path on disk → a lazy TensorSource with Hugging Face key names, plus the model config.
 *
 * Accepted: an HF model folder (config.json with model.safetensors, pytorch_model.bin, or a
 * sharded *.index.json), a single .safetensors / torch zip file (config from --config or a
 * config.json beside it), and official facebookresearch .pyth files (renamed to HF names; config
 * inferred from the shapes when none is given). The container is recognised by its first bytes,
 * never by its extension. No tensor bytes are read here.
 */
import { existsSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ModelError } from '../../shared/errors.js';
import { describeValue } from '../describe-value.js';
import { parseConfig, type TimesformerConfig } from '../config.js';
import { closeFile, openForReading, readExactly } from './file-reading.js';
import { inferConfig } from './infer-config.js';
import { isOfficialNaming, renameOfficial } from './official-names.js';
import { MAX_HEADER_BYTES, openSafetensors } from './safetensors.js';
import type { TensorEntry, TensorSource } from './tensor-source.js';
import { legacyFormat, looksLikeLegacyTorch, openTorchCheckpoint } from './torch-checkpoint.js';

export type CheckpointFormat = 'hf-folder' | 'sharded' | 'safetensors' | 'pytorch' | 'official-pyth';

/** The values of an HF `preprocessor_config.json` that matter for turning frames into pixel_values. */
export interface PreprocessorSettings {
  /** Per channel, RGB, applied after rescaling to 0..1. */
  image_mean?: number[];
  image_std?: number[];
  /** Multiplies 0..255 values; 1/255 in every released checkpoint. */
  rescale_factor?: number;
  /** false: pixels go in unscaled (rescale 1) / unnormalized (mean 0, std 1). */
  do_rescale?: boolean;
  do_normalize?: boolean;
  /** e.g. { shortest_edge: 224 } or { height: 224, width: 224 }, in pixels. */
  size?: Record<string, number>;
  crop_size?: Record<string, number>;
}

export interface OpenedCheckpoint {
  /** Tensors under HF names, read lazily. The caller closes it. */
  source: TensorSource;
  config: TimesformerConfig;
  format: CheckpointFormat;
  /** Absolute paths of every file used. */
  files: string[];
  /** What had to be guessed, in plain words. */
  assumptions: string[];
  preprocessor?: PreprocessorSettings;
}

/** Folder contents we look for, in order of preference (safetensors needs no pickle at all). */
export const FOLDER_WEIGHTS = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'];
/** JSON side files (config, index, preprocessor) are small; refuse anything absurd before reading it. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

type Container = 'zip' | 'safetensors' | 'json' | 'legacy-torch' | 'unknown';

export function openCheckpoint(path: string, options: { configPath?: string } = {}): OpenedCheckpoint {
  const absolute = resolve(path);
  const isFolder = statOrThrow(absolute).isDirectory();
  const folder = isFolder ? absolute : dirname(absolute);
  let weightsPath = absolute;
  if (isFolder) {
    const found = FOLDER_WEIGHTS.find((name) => existsSync(join(absolute, name)));
    if (found === undefined) throw new ModelError('not-found', `${absolute} has no model weights (looked for ${FOLDER_WEIGHTS.join(', ')})`);
    weightsPath = join(absolute, found);
  }

  const weights = openWeights(weightsPath);
  try {
    const files = [...weights.files];
    const assumptions: string[] = [];
    let source = weights.source;
    let format: CheckpointFormat = isFolder ? 'hf-folder' : weights.format;
    if (isOfficialNaming(source.entries.keys())) {
      source = renameOfficial(source, weightsPath);
      if (!isFolder && weights.format === 'pytorch') format = 'official-pyth';
    }

    const configPath = options.configPath === undefined ? join(folder, 'config.json') : resolve(options.configPath);
    let config: TimesformerConfig;
    if (options.configPath !== undefined || existsSync(configPath)) {
      if (!existsSync(configPath)) throw new ModelError('not-found', `config ${configPath} does not exist`);
      config = parseConfig(readJson(configPath, 'bad-config'), configPath);
      files.push(configPath);
      // A folder's config.json is part of the model; one that merely sits beside a file might not be.
      if (!isFolder && options.configPath === undefined) assumptions.push(`config from ${basename(configPath)} beside the checkpoint (pass a config to use another)`);
    } else {
      const inferred = inferConfig(source.entries, weightsPath);
      config = inferred.config;
      assumptions.push('no config.json: the architecture was inferred from the tensor shapes', ...inferred.assumptions);
    }

    const result: OpenedCheckpoint = { source, config, format, files, assumptions };
    const preprocessorPath = join(folder, 'preprocessor_config.json');
    if (existsSync(preprocessorPath)) {
      result.preprocessor = parsePreprocessor(readJson(preprocessorPath, 'bad-config'), preprocessorPath);
      files.push(preprocessorPath);
    }
    return result;
  } catch (error) {
    weights.source.close();
    throw error;
  }
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ModelError('not-found', `${path} does not exist`, { cause: error });
    throw new ModelError('unreadable', `cannot read ${path}: ${code ?? String(error)}`, { cause: error });
  }
}

interface OpenedWeights {
  source: TensorSource;
  format: Exclude<CheckpointFormat, 'hf-folder' | 'official-pyth'>;
  files: string[];
}

/** One weights file of any supported container, or a shard index. */
function openWeights(path: string): OpenedWeights {
  const container = sniff(path);
  switch (container) {
    case 'safetensors':
      return { source: openSafetensors(path), format: 'safetensors', files: [path] };
    case 'zip':
      return { source: openTorchCheckpoint(path), format: 'pytorch', files: [path] };
    case 'json':
      return openSharded(path);
    case 'legacy-torch':
      throw legacyFormat(path);
    default:
      throw new ModelError('unsupported', `${path} is not a checkpoint Longview can read (expected safetensors, a torch.save zip or a shard index)`);
  }
}

/** Recognises the container by its first bytes. */
export function sniff(path: string): Container {
  const file = openForReading(path);
  try {
    const head = new Uint8Array(Math.min(9, file.size));
    readExactly(file, head, 0);
    if (head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return 'zip'; // "PK\3\4", or "PK\5\6" when empty
    // safetensors: u64 LE header length, then the JSON header's "{".
    if (head.length === 9 && head[8] === 0x7b) {
      const length = new DataView(head.buffer).getBigUint64(0, true);
      if (length >= 2n && length <= BigInt(MAX_HEADER_BYTES)) return 'safetensors';
    }
    const firstText = new TextDecoder('latin1').decode(head).trimStart();
    if (firstText.startsWith('{')) return 'json';
    if (looksLikeLegacyTorch(head)) return 'legacy-torch';
    return 'unknown';
  } finally {
    closeFile(file);
  }
}

function readJson(path: string, reason: string): unknown {
  const file = openForReading(path);
  let bytes: Uint8Array;
  try {
    if (file.size > MAX_JSON_BYTES) throw new ModelError(reason, `${path} is ${file.size} bytes; a JSON side file should be far smaller`);
    bytes = new Uint8Array(file.size);
    readExactly(file, bytes, 0);
  } finally {
    closeFile(file);
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    // V8's message quotes the text, and a side file may be a symlink to something private.
    throw new ModelError(reason, `${path} is not valid JSON`, { cause: error });
  }
}

/**
 * `{"weight_map": {key: shard file}}` → one source over all shards. Shard names must be plain
 * file names in the index's folder; a key may live in one shard only.
 */
function openSharded(indexPath: string): OpenedWeights {
  const index = readJson(indexPath, 'corrupt') as { weight_map?: unknown } | null;
  const weightMap = index?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) throw new ModelError('corrupt', `${indexPath}: no "weight_map" object`);
  const keysByShard = new Map<string, string[]>();
  for (const [key, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || shard !== basename(shard) || isAbsolute(shard) || /[/\\]/.test(shard) || shard === '.' || shard === '..' || shard === '') {
      throw new ModelError('unsafe-path', `${indexPath}: shard ${describeValue(shard)} for ${describeValue(key)} is not a plain file name in the model folder`);
    }
    let keys = keysByShard.get(shard);
    if (keys === undefined) keysByShard.set(shard, (keys = []));
    keys.push(key);
  }
  if (keysByShard.size === 0) throw new ModelError('corrupt', `${indexPath}: the weight_map is empty`);

  const shards: { path: string; source: TensorSource }[] = [];
  let format: OpenedWeights['format'] | undefined;
  try {
    for (const [shard, keys] of keysByShard) {
      const shardPath = join(dirname(indexPath), shard);
      if (!existsSync(shardPath)) throw new ModelError('not-found', `${indexPath}: shard ${shard} does not exist`);
      // Checked before opening: an index naming itself (or another index) would recurse forever.
      if (sniff(shardPath) === 'json') throw new ModelError('corrupt', `${indexPath}: shard ${shard} is itself an index`);
      const opened = openWeights(shardPath);
      shards.push({ path: shardPath, source: opened.source });
      format ??= opened.format;
      const missing = keys.filter((key) => !opened.source.entries.has(key));
      if (missing.length > 0) throw new ModelError('corrupt', `${indexPath}: shard ${shard} lacks ${missing.length} key(s) the index puts there, e.g. "${missing[0]}"`);
    }
    return { source: combineSources(shards), format: 'sharded', files: [indexPath, ...shards.map((shard) => shard.path)] };
  } catch (error) {
    for (const shard of shards) shard.source.close();
    throw error;
  }
}

/** Several shards as one source; a key found in two shards is an error. */
function combineSources(shards: readonly { path: string; source: TensorSource }[]): TensorSource {
  const entries = new Map<string, TensorEntry>();
  const owner = new Map<string, string>();
  for (const shard of shards) {
    for (const [key, entry] of shard.source.entries) {
      const previous = owner.get(key);
      if (previous !== undefined) throw new ModelError('corrupt', `tensor "${key}" appears in both ${previous} and ${shard.path}`);
      owner.set(key, shard.path);
      entries.set(key, entry);
    }
  }
  return { entries, close: () => shards.forEach((shard) => shard.source.close()) };
}

function parsePreprocessor(json: unknown, path: string): PreprocessorSettings {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelError('bad-config', `${path}: not a JSON object`);
  const raw = json as Record<string, unknown>;
  const settings: PreprocessorSettings = {};
  for (const field of ['image_mean', 'image_std'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'number' && Number.isFinite(item))) {
      throw new ModelError('bad-config', `${path}: ${field} must be a list of numbers`);
    }
    settings[field] = value as number[];
  }
  if (settings.image_std?.some((value) => value === 0)) throw new ModelError('bad-config', `${path}: image_std has a zero`);
  const rescale = raw.rescale_factor;
  if (rescale !== undefined) {
    if (typeof rescale !== 'number' || !Number.isFinite(rescale) || rescale <= 0) throw new ModelError('bad-config', `${path}: rescale_factor must be a positive number`);
    settings.rescale_factor = rescale;
  }
  for (const field of ['do_rescale', 'do_normalize'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new ModelError('bad-config', `${path}: ${field} must be true or false`);
    settings[field] = value;
  }
  for (const field of ['size', 'crop_size'] as const) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    // Older processors store a bare number, meaning the shortest edge.
    const table = typeof value === 'number' ? { shortest_edge: value } : value;
    if (typeof table !== 'object' || Array.isArray(table) || !Object.values(table).every((item) => Number.isSafeInteger(item) && (item as number) > 0)) {
      throw new ModelError('bad-config', `${path}: ${field} must be a positive number or an object of them`);
    }
    settings[field] = table as Record<string, number>;
  }
  return settings;
}
