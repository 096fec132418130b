import { describe, expect, it } from 'vitest';
import { sincosPositionTable, sincosTimeTable } from '../../src/training/sincos-embeddings.js';

function row(table: Float32Array, index: number, width: number): Float32Array {
  return table.subarray(index * width, (index + 1) * width);
}

function distance(a: Float32Array, b: Float32Array): number {
  return Math.hypot(...a.map((value, index) => value - b[index]!));
}

describe('sincosPositionTable', () => {
  const grid = 8;
  const hidden = 64;
  const table = sincosPositionTable(grid, hidden, 0.5);
  const patch = (r: number, c: number): Float32Array => row(table, 1 + r * grid + c, hidden);

  it('has one row for the CLS (all zero) and one per patch', () => {
    expect(table.length).toBe((1 + grid * grid) * hidden);
    expect([...row(table, 0, hidden)].every((value) => value === 0)).toBe(true);
  });

  it('codes the column in the first half and the row in the second', () => {
    expect(patch(3, 5).subarray(0, hidden / 2)).toEqual(patch(6, 5).subarray(0, hidden / 2));
    expect(patch(3, 5).subarray(hidden / 2)).toEqual(patch(3, 1).subarray(hidden / 2));
  });

  it.each([
    [[0, 0], [0, 1], [0, 5]],
    [[4, 4], [5, 4], [0, 4]],
    [[2, 7], [3, 6], [7, 0]],
  ])('places %j nearer to its neighbour %j than to %j', (origin, near, far) => {
    const at = patch(origin[0]!, origin[1]!);
    expect(distance(at, patch(near[0]!, near[1]!))).toBeLessThan(distance(at, patch(far[0]!, far[1]!)));
  });

  it('keeps every value within the amplitude', () => {
    expect(Math.max(...table.map(Math.abs))).toBeLessThanOrEqual(0.5);
  });

  it('refuses a hidden size that is not a multiple of 4', () => {
    expect(() => sincosPositionTable(8, 62, 1)).toThrow(/multiple of 4/);
  });
});

describe('sincosTimeTable', () => {
  it('gives every frame a distinct code whose distance grows with the gap', () => {
    const table = sincosTimeTable(16, 64, 0.5);
    const frame = (t: number): Float32Array => row(table, t, 64);
    for (let t = 0; t + 2 < 16; t++) expect(distance(frame(t), frame(t + 1))).toBeLessThan(distance(frame(t), frame(t + 2)));
    expect(() => sincosTimeTable(16, 63, 1)).toThrow(/odd/);
  });
});
