import { describe, expect, it } from 'vitest';
import { PALETTE_SIZE, decodeGamma, hslToRgb, labelColor, segmentColor, type LabelColor } from '../../renderer/src/lib/segment-colors.js';

/** CIELAB (D65) of a label colour, from its HSL through sRGB; `simulate` alters linear RGB first. */
function lab(color: LabelColor, simulate: (linear: number[]) => number[] = (linear) => linear): [number, number, number] {
  const linear = simulate(hslToRgb(color.hue, color.saturation / 100, color.lightness / 100).map(decodeGamma));
  const [red, green, blue] = linear.map((value) => Math.min(1, Math.max(0, value))) as [number, number, number];
  const x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047;
  const y = 0.2126 * red + 0.7152 * green + 0.0722 * blue;
  const z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference: about 2.3 is just noticeable, over 30 reads as a different colour at a glance. */
function deltaE(first: number[], second: number[]): number {
  return Math.hypot(first[0]! - second[0]!, first[1]! - second[1]!, first[2]! - second[2]!);
}

/** Deuteranopia (red-green colour blindness, full severity), Machado et al. 2009, on linear RGB. */
function deuteranopia([red, green, blue]: number[]): number[] {
  return [
    0.367322 * red! + 0.860646 * green! - 0.227968 * blue!,
    0.280085 * red! + 0.672501 * green! + 0.047413 * blue!,
    -0.01182 * red! + 0.04294 * green! + 0.968881 * blue!,
  ];
}

function smallestPairwise(colors: LabelColor[], distance: (first: LabelColor, second: LabelColor) => number): number {
  let smallest = Number.POSITIVE_INFINITY;
  colors.forEach((first, index) => colors.slice(index + 1).forEach((second) => (smallest = Math.min(smallest, distance(first, second)))));
  return smallest;
}

describe('labelColor for small label sets (the palette)', () => {
  const eight = Array.from({ length: 8 }, (_, index) => labelColor(index, 8));
  const twelve = Array.from({ length: PALETTE_SIZE }, (_, index) => labelColor(index, PALETTE_SIZE));

  it('keeps the first 8 colours pairwise far apart (CIE76 ΔE over 30)', () => {
    expect(smallestPairwise(eight, (first, second) => deltaE(lab(first), lab(second)))).toBeGreaterThan(30);
  });

  it('keeps the first 8 apart for red-green colour-blind eyes too (ΔE over 12 under simulated deuteranopia)', () => {
    expect(smallestPairwise(eight, (first, second) => deltaE(lab(first, deuteranopia), lab(second, deuteranopia)))).toBeGreaterThan(12);
  });

  it('gives all 12 palette colours a clearly different look (ΔE over 25)', () => {
    expect(PALETTE_SIZE).toBe(12);
    expect(smallestPairwise(twelve, (first, second) => deltaE(lab(first), lab(second)))).toBeGreaterThan(25);
  });

  it('gives a label the same palette colour whatever the size of a small set', () => {
    expect(labelColor(3, 5)).toEqual(labelColor(3, 12));
    expect(labelColor(3)).toEqual(labelColor(3, 12));
  });
});

describe('labelColor for large label sets (generated)', () => {
  it('is stable', () => {
    expect(labelColor(17, 400)).toEqual(labelColor(17, 400));
    expect(segmentColor(3, 400)).toBe(labelColor(3, 400).fill);
  });

  it('leaves the palette once the set outgrows it, so no two labels share a colour', () => {
    expect(labelColor(0, 13)).not.toEqual(labelColor(0, 12));
    const fills = new Set(Array.from({ length: 400 }, (_, index) => labelColor(index, 400).fill));
    expect(fills.size).toBe(400);
  });

  it('puts neighbouring labels far apart in hue', () => {
    for (let index = 0; index < 50; index += 1) {
      const gap = Math.abs(labelColor(index, 400).hue - labelColor(index + 1, 400).hue);
      expect(Math.min(gap, 360 - gap)).toBeGreaterThan(100);
    }
  });

  it.each([0, 10, 399])('label %d is a CSS hsl() colour with black or white text', (index) => {
    const color = labelColor(index, 400);
    expect(color.fill).toMatch(/^hsl\(\d+(\.\d)? 70% \d+%\)$/);
    expect(['#000', '#fff']).toContain(color.text);
  });

  it('picks dark text on light yellow-green and light text on dark blue', () => {
    const all = Array.from({ length: 400 }, (_, index) => labelColor(index, 400));
    const light = all.find((color) => color.hue > 50 && color.hue < 110 && color.lightness === 66)!;
    const dark = all.find((color) => color.hue > 220 && color.hue < 260 && color.lightness === 38)!;
    expect(light.text).toBe('#000');
    expect(dark.text).toBe('#fff');
  });
});

describe('labelColor for anything else', () => {
  it.each([-1, 1.5, Number.NaN])('gives label %d a neutral grey', (index) => {
    expect(labelColor(index).saturation).toBe(0);
    expect(labelColor(index, 400).saturation).toBe(0);
  });

  it('picks black text on the yellow and white text on the blue of the palette', () => {
    expect(labelColor(4, 8).text).toBe('#000');
    expect(labelColor(11, 12).text).toBe('#fff');
  });
});
