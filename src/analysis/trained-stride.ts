/**
 * The frame stride a model was trained at, which an analysis uses unless told otherwise: a
 * released checkpoint's from the catalog (SSv2 differs from Kinetics at the same frame count),
 * else the one a model we trained declares in its config.json. One rule for the analysis, the
 * app's stored-analysis lookup and the model list.
 */
import { basename } from 'node:path';
import { ModelError } from '../shared/errors.js';
import { readTextFile } from '../model/weights/file-reading.js';
import { findCatalogEntry } from '../models/catalog.js';

/** undefined: the model declares nothing; sampling.ts then uses the preset for its frame count. */
export function trainedFrameStride(checkpointPath: string, files: readonly string[], numFrames: number): number | undefined {
  const entry = findCatalogEntry(checkpointPath);
  if (entry !== undefined && entry.preset.frames === numFrames) return entry.preset.frameStride;
  return declaredFrameStride(files);
}

/**
 * The frame stride a checkpoint's config.json declares under `longview_sampling.frame_stride`
 * (written by src/training for models trained at a stride of their own; HF ignores the key), or
 * undefined when it has none. A declared value that is not a whole number from 1 to 1000 is a
 * ModelError, not silently replaced by the preset.
 */
export function declaredFrameStride(files: readonly string[]): number | undefined {
  const configPath = files.find((file) => basename(file) === 'config.json');
  if (configPath === undefined) return undefined;
  let sampling: unknown;
  try {
    sampling = (JSON.parse(readTextFile(configPath, 64 * 1024 * 1024)) as { longview_sampling?: unknown }).longview_sampling;
  } catch {
    return undefined; // the checkpoint reader already accepted this file; nothing more to learn from it
  }
  if (sampling === undefined) return undefined;
  const stride = typeof sampling === 'object' && sampling !== null ? (sampling as { frame_stride?: unknown }).frame_stride : undefined;
  if (typeof stride !== 'number' || !Number.isSafeInteger(stride) || stride < 1 || stride > 1000) {
    throw new ModelError('bad-config', `${configPath}: longview_sampling.frame_stride must be a whole number from 1 to 1000`);
  }
  return stride;
}
