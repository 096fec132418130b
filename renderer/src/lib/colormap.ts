/**
 * Heatmap colours: a dark-purple → red → orange → pale-yellow ramp (inferno-like) whose alpha
 * rises with the value, so cold patches leave the picture visible and hot ones stand out. Pure.
 */

/** Control points: value 0..1 → [r, g, b] 0..255. Chosen by eye to resemble inferno. */
const STOPS: ReadonlyArray<readonly [number, readonly [number, number, number]]> = [
  [0, [0, 0, 4]],
  [0.2, [50, 10, 94]],
  [0.4, [120, 28, 109]],
  [0.6, [188, 55, 84]],
  [0.8, [245, 125, 21]],
  [1, [252, 255, 164]],
];

/** Alpha (0..255) of the weakest and strongest value; an exponent > 1 keeps low values faint. */
const ALPHA_FLOOR = 0;
const ALPHA_CEILING = 235;
const ALPHA_EXPONENT = 1.4;

function interpolate(value: number): [number, number, number] {
  for (let i = 1; i < STOPS.length; i++) {
    const [position, colour] = STOPS[i]!;
    const [previousPosition, previousColour] = STOPS[i - 1]!;
    if (value <= position) {
      const fraction = (value - previousPosition) / (position - previousPosition);
      return [0, 1, 2].map((channel) => Math.round(previousColour[channel]! + fraction * (colour[channel]! - previousColour[channel]!))) as [number, number, number];
    }
  }
  const last = STOPS[STOPS.length - 1]![1];
  return [last[0], last[1], last[2]];
}

/** 256 RGBA entries, 1024 bytes: entry v colours byte value v. */
export function buildColormap(): Uint8ClampedArray {
  const table = new Uint8ClampedArray(256 * 4);
  for (let value = 0; value < 256; value++) {
    const fraction = value / 255;
    const [red, green, blue] = interpolate(fraction);
    table[value * 4] = red;
    table[value * 4 + 1] = green;
    table[value * 4 + 2] = blue;
    table[value * 4 + 3] = Math.round(ALPHA_FLOOR + (ALPHA_CEILING - ALPHA_FLOOR) * fraction ** ALPHA_EXPONENT);
  }
  return table;
}

/** Heatmap bytes (one per patch) → RGBA pixels (four per patch) through `table`. */
export function colourize(values: Uint8Array, table: Uint8ClampedArray): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const entry = values[i]! * 4;
    pixels[i * 4] = table[entry]!;
    pixels[i * 4 + 1] = table[entry + 1]!;
    pixels[i * 4 + 2] = table[entry + 2]!;
    pixels[i * 4 + 3] = table[entry + 3]!;
  }
  return pixels;
}
