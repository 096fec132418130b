/**
 * Sine–cosine starting values for the position and time tables (the fixed codes of Vaswani et al.
 * and MAE's 2-D variant, here only as an initialisation: they stay trainable). With random tables a
 * small model from scratch must first learn which patches are neighbours and which frames follow
 * each other before it can tell "moving left" from "moving right"; smooth codes give it position
 * and time as near-linear features from step one, so an MLP can form "x grows with t" at once.
 */

/** Frequencies ω_k = 1 / base^(k / count), k = 0 … count−1: periods from 2π up to 2π·base. */
function frequencies(count: number, base: number): number[] {
  return Array.from({ length: count }, (_, k) => 1 / base ** (k / count));
}

/** [sin(ω₀v), …, sin(ω_{n−1}v), cos(ω₀v), …, cos(ω_{n−1}v)] into `out` at `offset`, 2n values. */
function writeCode(out: Float32Array, offset: number, value: number, omegas: readonly number[], amplitude: number): void {
  omegas.forEach((omega, k) => {
    out[offset + k] = amplitude * Math.sin(omega * value);
    out[offset + omegas.length + k] = amplitude * Math.cos(omega * value);
  });
}

/**
 * position_embeddings as stored, [1, 1 + grid², D] flattened: row 0 (the CLS) is 0; row 1 + r·grid + c
 * codes the column c in its first D/2 values and the row r in the last D/2. D must be a multiple of 4.
 */
export function sincosPositionTable(grid: number, hidden: number, amplitude: number): Float32Array {
  if (hidden % 4 !== 0) throw new RangeError(`sincosPositionTable: hidden size ${hidden} is not a multiple of 4`);
  const omegas = frequencies(hidden / 4, 4 * grid);
  const table = new Float32Array((1 + grid * grid) * hidden);
  for (let row = 0; row < grid; row++) {
    for (let column = 0; column < grid; column++) {
      const offset = (1 + row * grid + column) * hidden;
      writeCode(table, offset, column, omegas, amplitude);
      writeCode(table, offset + hidden / 2, row, omegas, amplitude);
    }
  }
  return table;
}

/** ω of pair k of `sincosTimeTable(frames, hidden, …)` (sin at dim k, cos at dim hidden/2 + k). */
export function sincosTimeFrequency(frames: number, hidden: number, pair: number): number {
  return frequencies(hidden / 2, 4 * frames)[pair]!;
}

/** time_embeddings as stored, [1, frames, D] flattened: row t codes t. D must be even. */
export function sincosTimeTable(frames: number, hidden: number, amplitude: number): Float32Array {
  if (hidden % 2 !== 0) throw new RangeError(`sincosTimeTable: hidden size ${hidden} is odd`);
  const omegas = frequencies(hidden / 2, 4 * frames);
  const table = new Float32Array(frames * hidden);
  for (let t = 0; t < frames; t++) writeCode(table, t * hidden, t, omegas, amplitude);
  return table;
}
