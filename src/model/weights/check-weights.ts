/**
 * Asserts that a checkpoint holds exactly the tensors a model expects, with the expected shapes,
 * before any tensor bytes are read. Errors name every missing and unexpected key.
 */
import { ModelError } from '../../shared/errors.js';
import type { TensorSource } from './tensor-source.js';

/**
 * Keys that real checkpoints carry but that are not model weights (training state, buffers).
 * They are ignored, not reported as unexpected.
 */
const IGNORED_KEY_PATTERNS: readonly RegExp[] = [/^optimizer/, /^scheduler/, /(^|\.)num_batches_tracked$/, /(^|\.)position_ids$/];

export function isIgnoredKey(key: string): boolean {
  return IGNORED_KEY_PATTERNS.some((pattern) => pattern.test(key));
}

const LISTED_KEYS = 8;

function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, LISTED_KEYS).join(', ');
  return keys.length > LISTED_KEYS ? `${shown}, … (${keys.length} in all)` : shown;
}

/** @param expected HF key → shape, e.g. 'classifier.weight' → [400, 768]. */
export function checkWeights(source: TensorSource, expected: ReadonlyMap<string, readonly number[]>, origin: string): void {
  const missing = [...expected.keys()].filter((key) => !source.entries.has(key));
  const unexpected = [...source.entries.keys()].filter((key) => !expected.has(key) && !isIgnoredKey(key));
  if (missing.length > 0 || unexpected.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${missing.length} key(s): ${listKeys(missing)}`);
    if (unexpected.length > 0) parts.push(`unexpected ${unexpected.length} key(s): ${listKeys(unexpected)}`);
    throw new ModelError('key-mismatch', `${origin} does not match the configured TimeSformer: ${parts.join('; ')}`);
  }
  const wrongShapes: string[] = [];
  for (const [key, shape] of expected) {
    const actual = source.entries.get(key)!.shape;
    if (actual.length !== shape.length || actual.some((size, axis) => size !== shape[axis])) {
      wrongShapes.push(`${key} is [${actual.join(', ')}], expected [${shape.join(', ')}]`);
    }
  }
  if (wrongShapes.length > 0) {
    throw new ModelError('shape-mismatch', `${origin} has ${wrongShapes.length} tensor(s) of the wrong shape: ${listKeys(wrongShapes)}`);
  }
}
