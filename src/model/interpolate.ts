/**
 * Index maps for resampling the time and position embeddings when a clip's frame count or patch
 * grid differs from the checkpoint's (test/fixtures/timesformer/README.md, "Size mismatch").
 *
 * HF and the official code both call PyTorch `interpolate(mode="nearest")` (legacy nearest), which
 * computes, for every output index i,
 *
 *     scale = float32(in / out)                      (a float32, not a double)
 *     src   = min(floor(float32(i · scale)), in − 1)
 *
 * Resampling with these maps is a gather, so the result is bit-exact with PyTorch. The float32
 * rounding matters: 8 → 82 maps output 41 to source 3 (the exact quotient would say 4), and 2 → 98
 * maps output 49 to 1 (double arithmetic would say 0).
 *
 * Pure functions over plain numbers; no tensors here.
 */

function checkSize(name: string, size: number): void {
  if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(`${name} must be a positive integer, got ${size}`);
}

/** For each of `outSize` output positions, the source position among `inSize` (PyTorch legacy nearest). */
export function nearestIndexMap(inSize: number, outSize: number): number[] {
  checkSize('inSize', inSize);
  checkSize('outSize', outSize);
  const scale = Math.fround(inSize / outSize);
  const map = new Array<number>(outSize);
  for (let index = 0; index < outSize; index++) {
    // index · scale of two float32 values is exact in a double; fround gives the float32 product.
    map[index] = Math.min(Math.floor(Math.fround(index * scale)), inSize - 1);
  }
  return map;
}

/** True when the map is 0, 1, …, n−1 (no resampling needed). */
export function isIdentityMap(map: readonly number[]): boolean {
  return map.every((source, index) => source === index);
}

/** Source entry of `time_embeddings` [T0] for each of the clip's T frames. */
export function timeIndexMap(configFrames: number, frames: number): number[] {
  return nearestIndexMap(configFrames, frames);
}

/**
 * Source patch (row-major index into the checkpoint's `grid × grid` position table, CLS excluded)
 * for each patch of a `rows × cols` grid, row-major. Rows and columns are resampled separately.
 */
export function positionIndexMap(grid: number, rows: number, cols: number): number[] {
  const rowMap = nearestIndexMap(grid, rows);
  const colMap = nearestIndexMap(grid, cols);
  const map: number[] = [];
  for (const sourceRow of rowMap) for (const sourceCol of colMap) map.push(sourceRow * grid + sourceCol);
  return map;
}
