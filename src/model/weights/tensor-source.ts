/**
 * The one shape every checkpoint reader hands to the model: named float32 tensors, read lazily.
 *
 * Readers validate their container up front but read tensor bytes only when `read()` is called,
 * so a loader can move one tensor at a time into the backend and a ~490 MB checkpoint never
 * exists twice in memory.
 */

/** Element types a checkpoint may store; everything is widened to float32 when read. */
export type StoredDType = 'F32' | 'F16' | 'BF16';

export interface TensorEntry {
  readonly name: string;
  readonly dtype: StoredDType;
  /** Row-major shape, e.g. [768, 3, 16, 16] for the patch projection. */
  readonly shape: readonly number[];
  /** Reads the bytes from disk and returns them as float32 (a fresh array each call). */
  read(): Float32Array;
}

export interface TensorSource {
  /** Keys exactly as stored (after any container-level prefix handling). */
  readonly entries: ReadonlyMap<string, TensorEntry>;
  /** Releases file handles. Entries must not be read afterwards. */
  close(): void;
}

export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const size of shape) count *= size;
  return count;
}
