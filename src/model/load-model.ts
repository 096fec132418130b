/**
 * From a path on disk to a ready TimeSformer: open the checkpoint (lazily), settle the class
 * names and the license, then move the weights into the backend.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ModelError } from '../shared/errors.js';
import { labelList, numLabels, type TimesformerConfig } from './config.js';
import { builtinLabels, readLabelFile } from './label-lists.js';
import { TimeSformer } from './timesformer.js';
import { readTextFile } from './weights/file-reading.js';
import { openCheckpoint, type PreprocessorSettings } from './weights/load-checkpoint.js';
import { isIgnoredKey } from './weights/check-weights.js';
import { elementCount, type TensorSource } from './weights/tensor-source.js';

export interface ModelCheckpoint {
  path: string;
  format: string;
  files: string[];
  config: TimesformerConfig;
  source: TensorSource;
  /** Class names in index order. */
  labels: string[];
  /** Where the names came from when not from the checkpoint's own config. */
  labelSource: string | undefined;
  license: string;
  /** Things we had to guess, said plainly to the user. */
  assumptions: string[];
  /** The HF preprocessor_config.json values, when the checkpoint has one. */
  preprocessor: PreprocessorSettings | undefined;
}

export interface OpenOptions {
  configPath?: string | undefined;
  labelsPath?: string | undefined;
}

const GENERIC_LABEL = /^LABEL_\d+$/;
/** Classes of the official HowTo100M long-term models (paper §4.6). */
const HOWTO100M_TASKS = 1059;

export function openModelCheckpoint(path: string, options: OpenOptions = {}): ModelCheckpoint {
  const opened = openCheckpoint(path, options.configPath === undefined ? {} : { configPath: options.configPath });
  const assumptions = [...opened.assumptions];
  let labels = labelList(opened.config);
  let labelSource: string | undefined;
  if (options.labelsPath !== undefined) {
    const fromFile = readLabelFile(options.labelsPath);
    if (fromFile.length !== numLabels(opened.config)) {
      opened.source.close();
      throw new ModelError('bad-labels', `${options.labelsPath} has ${fromFile.length} labels but the model has ${numLabels(opened.config)} classes`);
    }
    labels = fromFile;
    labelSource = options.labelsPath;
  } else if (labels.every((label) => GENERIC_LABEL.test(label))) {
    // Official checkpoints carry no names; the released ones are told apart by class count.
    const builtin = builtinLabels(labels.length);
    if (builtin !== undefined) {
      labels = builtin.labels;
      labelSource = `${builtin.dataset}, assumed from ${labels.length} classes`;
      assumptions.push(`class names are ${builtin.dataset}'s (the checkpoint has none; pass --labels to override)`);
    } else if (labels.length === HOWTO100M_TASKS) {
      // The 1,059 HowTo100M task names were never published (TimeSformer issue #67): say so and show indices.
      labels = labels.map((_, index) => `task ${index}`);
      labelSource = 'HowTo100M task indices (names never published)';
      assumptions.push('a HowTo100M model: its 1,059 task names were never published, so classes are shown as "task N"; pass --labels with your own names, one a line');
    }
  }
  return {
    path: resolve(path),
    format: opened.format,
    files: opened.files,
    config: opened.config,
    source: opened.source,
    labels,
    labelSource,
    license: detectLicense(path, opened.format),
    assumptions,
    preprocessor: opened.preprocessor,
  };
}

export interface ModelDescription {
  path: string;
  format: string;
  files: string[];
  config: TimesformerConfig;
  patchGrid: number;
  parameterCount: number;
  labels: string[];
  labelSource: string | undefined;
  license: string;
  assumptions: string[];
}

export function describeModel(checkpoint: ModelCheckpoint): ModelDescription {
  let parameterCount = 0;
  for (const [key, entry] of checkpoint.source.entries) if (!isIgnoredKey(key)) parameterCount += elementCount(entry.shape);
  const { source: _source, ...rest } = checkpoint;
  return { ...rest, patchGrid: checkpoint.config.image_size / checkpoint.config.patch_size, parameterCount };
}

/** Opens, checks and loads a checkpoint into the current tfjs backend. */
export function loadModel(path: string, options: OpenOptions = {}): { model: TimeSformer; checkpoint: ModelCheckpoint } {
  const checkpoint = openModelCheckpoint(path, options);
  try {
    const model = TimeSformer.load(checkpoint.config, checkpoint.source, checkpoint.path);
    return { model, checkpoint };
  } finally {
    checkpoint.source.close();
  }
}

/**
 * The license, when the checkpoint says or its provenance is known. Facebook's TimeSformer
 * weights (official .pyth and the HF facebook/timesformer-* copies) are CC BY-NC 4.0.
 */
export function detectLicense(path: string, format: string): string {
  const folder = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  const readme = join(folder, 'README.md');
  if (existsSync(readme)) {
    let text = '';
    try {
      text = readTextFile(readme, 4 * 1024 * 1024);
    } catch {
      // An unreadable model card only means we cannot tell the license from it.
    }
    const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text.slice(0, 64 * 1024));
    const license = frontMatter === null ? null : /^license:\s*["']?([^"'\r\n]+)["']?\s*$/m.exec(frontMatter[1]!);
    if (license !== null) return `${license[1]!.trim()} (from the model card)`;
  }
  const name = readNameOrPath(join(folder, 'config.json'));
  if ((name !== undefined && /^facebook\/timesformer/i.test(name)) || (format === 'official-pyth' && /^TimeSformer_/i.test(basename(path)))) {
    return 'CC BY-NC 4.0 (Facebook TimeSformer weights: non-commercial use only)';
  }
  return 'unknown (the checkpoint does not say)';
}

/** HF writes the hub id a model came from into config.json as `_name_or_path`. */
function readNameOrPath(configPath: string): string | undefined {
  try {
    const name = (JSON.parse(readTextFile(configPath, 64 * 1024 * 1024)) as { _name_or_path?: unknown })._name_or_path;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
