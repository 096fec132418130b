/**
 * Which files of a Hub repository Longview needs: the config, the preprocessor config and model
 * card when present (input settings, license), and one set of weights, safetensors first.
 *
 * Pure: works on a file list, either the Hub's or a snapshot folder's.
 */
import { LongviewError } from '../../shared/errors.js';

export type WeightFormat = 'safetensors' | 'pytorch';

export interface FileChoice {
  /** Paths to fetch, config first, weights last. */
  files: string[];
  weights: WeightFormat;
  /** Things the user should know about the choice (e.g. no safetensors at this revision). */
  notes: string[];
}

const OPTIONAL_FILES = ['preprocessor_config.json', 'README.md'];

interface WeightLayout {
  format: WeightFormat;
  single: string;
  index: string;
  shard: RegExp;
}

const SAFETENSORS: WeightLayout = { format: 'safetensors', single: 'model.safetensors', index: 'model.safetensors.index.json', shard: /^model-\d{5}-of-\d{5}\.safetensors$/ };
const PYTORCH: WeightLayout = { format: 'pytorch', single: 'pytorch_model.bin', index: 'pytorch_model.bin.index.json', shard: /^pytorch_model-\d{5}-of-\d{5}\.bin$/ };

/** The weight files of one layout in this list: the single file, else the index and its shards. */
function weightFiles(available: readonly string[], layout: WeightLayout): string[] | undefined {
  if (available.includes(layout.single)) return [layout.single];
  const shards = available.filter((path) => layout.shard.test(path)).sort();
  if (available.includes(layout.index) && shards.length > 0) return [layout.index, ...shards];
  return undefined;
}

/** described: "org/name@revision", for messages. */
export function chooseFiles(available: readonly string[], described: string, preferSafetensors = true): FileChoice {
  if (!available.includes('config.json')) {
    throw new LongviewError('model', 'hub-no-config', `${described} has no config.json, so it is not a Transformers model Longview can load; check the model id.`);
  }
  const order = preferSafetensors ? [SAFETENSORS, PYTORCH] : [PYTORCH, SAFETENSORS];
  const notes: string[] = [];
  for (const layout of order) {
    const weights = weightFiles(available, layout);
    if (weights === undefined) continue;
    if (preferSafetensors && layout.format === 'pytorch') {
      notes.push(`${described} has no safetensors weights, so Longview takes ${weights[0] ?? layout.single} (read without executing any code); another revision of the repository (e.g. refs/pr/N) may have safetensors.`);
    }
    const extras = OPTIONAL_FILES.filter((path) => available.includes(path));
    return { files: ['config.json', ...extras, ...weights], weights: layout.format, notes };
  }
  throw new LongviewError('model', 'hub-no-weights', `${described} has neither model.safetensors nor pytorch_model.bin; pick a revision or repository with TimeSformer weights.`);
}
