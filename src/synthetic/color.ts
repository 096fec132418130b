/** Colour helpers for the synthetic scenes. Pure. */

export type Rgb = readonly [number, number, number];

/**
 * Hue in degrees (any value, wrapped), saturation and value in 0..1 → RGB in 0..255 (floats).
 * The standard hexcone formula.
 */
export function hsvToRgb(hueDegrees: number, saturation: number, value: number): Rgb {
  const hue = (((hueDegrees % 360) + 360) % 360) / 60;
  const chroma = value * saturation;
  const second = chroma * (1 - Math.abs((hue % 2) - 1));
  const base = value - chroma;
  const sector = Math.floor(hue);
  const [red, green, blue] =
    sector === 0 ? [chroma, second, 0] :
    sector === 1 ? [second, chroma, 0] :
    sector === 2 ? [0, chroma, second] :
    sector === 3 ? [0, second, chroma] :
    sector === 4 ? [second, 0, chroma] :
    [chroma, 0, second];
  return [(red + base) * 255, (green + base) * 255, (blue + base) * 255];
}
