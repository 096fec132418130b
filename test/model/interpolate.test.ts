/** PyTorch legacy-nearest index maps for the time and position embeddings. */
import { describe, expect, it } from 'vitest';
import { isIdentityMap, nearestIndexMap, positionIndexMap, timeIndexMap } from '../../src/model/interpolate.js';
import { fixtureMeta } from './golden.js';

interface InterpolationMeta {
  time_source_index_for_each_frame: number[];
  'position_source_patch_index_for_each_patch(row-major)': number[];
  position_source_row_for_each_row: number[];
  position_source_col_for_each_col: number[];
}

const meta = fixtureMeta('divided-interp').interpolation as InterpolationMeta;

describe('nearestIndexMap', () => {
  it('matches divided-interp/meta.json: time 8 → 16', () => {
    expect(meta.time_source_index_for_each_frame).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]);
    expect(timeIndexMap(8, 16)).toEqual(meta.time_source_index_for_each_frame);
  });

  it('matches divided-interp/meta.json: grid 4×4 → 6×6', () => {
    expect(meta.position_source_row_for_each_row).toEqual([0, 0, 1, 2, 2, 3]);
    expect(nearestIndexMap(4, 6)).toEqual(meta.position_source_row_for_each_row);
    expect(nearestIndexMap(4, 6)).toEqual(meta.position_source_col_for_each_col);
    expect(positionIndexMap(4, 6, 6)).toEqual(meta['position_source_patch_index_for_each_patch(row-major)']);
  });

  it('8 → 96 repeats each frame 12 times', () => {
    expect(nearestIndexMap(8, 96)).toEqual(Array.from({ length: 96 }, (_, i) => Math.floor(i / 12)));
  });

  it('8 → 4 takes every other frame; same size is the identity', () => {
    expect(nearestIndexMap(8, 4)).toEqual([0, 2, 4, 6]);
    expect(nearestIndexMap(8, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(isIdentityMap(nearestIndexMap(14, 14))).toBe(true);
    expect(isIdentityMap(nearestIndexMap(8, 4))).toBe(false);
    expect(nearestIndexMap(1, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(nearestIndexMap(5, 1)).toEqual([0]);
  });

  it('rounds in/out to float32 as PyTorch does (values from numpy float32 arithmetic)', () => {
    // float32(8/82) · 41 rounds to just below 4; the exact quotient gives 4.
    expect(nearestIndexMap(8, 82)[41]).toBe(3);
    expect(nearestIndexMap(8, 82)[40]).toBe(3);
    expect(nearestIndexMap(8, 82)[42]).toBe(4);
    // float32(2/98) · 49 rounds up to 1; double arithmetic gives 0.99999….
    expect(nearestIndexMap(2, 98)[49]).toBe(1);
    expect(nearestIndexMap(2, 98)[48]).toBe(0);
  });

  it('a non-square target grid resamples rows and columns separately', () => {
    // 4×4 table → 2×5 grid: rows [0, 2], cols [0, 0, 1, 2, 3]
    expect(positionIndexMap(4, 2, 5)).toEqual([0, 0, 1, 2, 3, 8, 8, 9, 10, 11]);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => nearestIndexMap(0, 4)).toThrow(RangeError);
    expect(() => nearestIndexMap(4, 2.5)).toThrow(RangeError);
  });
});
