import { describe, expect, it } from 'vitest';
import { labelColor, segmentColor } from '../../renderer/src/lib/segment-colors.js';

describe('labelColor', () => {
  it('is stable', () => {
    expect(labelColor(17)).toEqual(labelColor(17));
    expect(segmentColor(3)).toBe(labelColor(3).fill);
  });

  it('gives 400 labels distinct colours, neighbours far apart in hue', () => {
    const fills = new Set(Array.from({ length: 400 }, (_, index) => labelColor(index).fill));
    expect(fills.size).toBe(400);
    for (let index = 0; index < 50; index += 1) {
      const gap = Math.abs(labelColor(index).hue - labelColor(index + 1).hue);
      expect(Math.min(gap, 360 - gap)).toBeGreaterThan(100);
    }
  });

  it.each([0, 10, 399])('label %d is a CSS hsl() colour with black or white text', (index) => {
    const color = labelColor(index);
    expect(color.fill).toMatch(/^hsl\(\d+(\.\d)? 70% \d+%\)$/);
    expect(['#000', '#fff']).toContain(color.text);
  });

  it('picks dark text on light yellow-green and light text on dark blue', () => {
    const light = Array.from({ length: 400 }, (_, index) => labelColor(index)).find((color) => color.hue > 50 && color.hue < 110 && color.lightness === 66)!;
    const dark = Array.from({ length: 400 }, (_, index) => labelColor(index)).find((color) => color.hue > 220 && color.hue < 260 && color.lightness === 38)!;
    expect(light.text).toBe('#000');
    expect(dark.text).toBe('#fff');
  });

  it.each([-1, 1.5, Number.NaN])('gives label %d a neutral grey', (index) => {
    expect(labelColor(index).saturation).toBe(0);
  });
});
