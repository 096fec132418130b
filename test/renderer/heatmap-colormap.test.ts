import { describe, expect, it } from 'vitest';
import { buildColormap, colourize } from '../../renderer/src/lib/colormap.js';

describe('heatmap colour map', () => {
  const table = buildColormap();

  it('has one RGBA entry per byte value', () => {
    expect(table.length).toBe(1024);
  });

  it('is transparent at zero and nearly opaque, pale yellow at the top', () => {
    expect([...table.subarray(0, 4)]).toEqual([0, 0, 4, 0]);
    const top = [...table.subarray(1020, 1024)];
    expect(top.slice(0, 3)).toEqual([252, 255, 164]);
    expect(top[3]).toBeGreaterThan(200);
  });

  it('gets more opaque and brighter as the value rises', () => {
    for (let value = 1; value < 256; value++) {
      expect(table[value * 4 + 3]!).toBeGreaterThanOrEqual(table[(value - 1) * 4 + 3]!);
      const brightness = (v: number): number => table[v * 4]! + table[v * 4 + 1]! + table[v * 4 + 2]!;
      expect(brightness(value)).toBeGreaterThanOrEqual(brightness(value - 1) - 12);
    }
  });

  it('colourizes byte by byte through the table', () => {
    const pixels = colourize(new Uint8Array([0, 255, 128]), table);
    expect(pixels.length).toBe(12);
    expect([...pixels.subarray(0, 4)]).toEqual([...table.subarray(0, 4)]);
    expect([...pixels.subarray(4, 8)]).toEqual([...table.subarray(1020, 1024)]);
    expect([...pixels.subarray(8, 12)]).toEqual([...table.subarray(512, 516)]);
  });
});
