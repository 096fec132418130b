/**
 * One colour per label index, the same on every run and in every view (timeline bars, list
 * swatches, heat strips). A model with up to 12 labels gets hand-picked hues that stay apart for
 * each other on a dark background and, for the first eight, under red-green colour blindness too
 * (blue/orange first, then green, pink, yellow, violet, cyan, red). Larger label sets get
 * generated colours: hues step by the golden angle, so labels with nearby indices (often related
 * classes) land far apart on the colour wheel, and lightness cycles through three levels so that
 * two labels whose hues come close still differ.
 */

export interface LabelColor {
  /** A CSS colour for the bar. */
  fill: string;
  /** Black or white, whichever reads better on `fill`. */
  text: string;
  /** Hue in degrees, saturation and lightness in percent: for strips that blend towards the colour. */
  hue: number;
  saturation: number;
  lightness: number;
}

/** Hue (degrees), saturation and lightness (percent) of the small-set palette, in order of use. */
const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [214, 78, 56], // blue
  [32, 95, 55], // orange
  [158, 65, 42], // bluish green
  [330, 75, 64], // pink
  [52, 90, 55], // yellow
  [272, 62, 68], // violet
  [182, 70, 62], // cyan
  [6, 78, 55], // vermilion
  [88, 55, 50], // olive green
  [25, 50, 42], // brown
  [220, 18, 72], // grey blue
  [176, 70, 30], // dark teal
];

/** Label sets up to this size use the palette; larger ones all use generated colours, so none repeat. */
export const PALETTE_SIZE = PALETTE.length;

const GOLDEN_ANGLE_DEGREES = 137.50776405003785;
const LIGHTNESS_LEVELS = [52, 38, 66];
const NEUTRAL: LabelColor = { fill: 'hsl(0 0% 55%)', text: '#000', hue: 0, saturation: 0, lightness: 55 };

const paletteColors = PALETTE.map(([hue, saturation, lightness]) => makeColor(hue, saturation, lightness));
const generatedCache = new Map<number, LabelColor>();

/**
 * The colour of label `labelIndex` in a model with `labelCount` labels (0 when unknown: then
 * indices the palette covers use it). Every view of one analysis must pass the same count.
 */
export function labelColor(labelIndex: number, labelCount = 0): LabelColor {
  if (!Number.isInteger(labelIndex) || labelIndex < 0) return NEUTRAL;
  if (labelCount <= PALETTE_SIZE && labelIndex < PALETTE_SIZE) return paletteColors[labelIndex]!;
  const known = generatedCache.get(labelIndex);
  if (known !== undefined) return known;
  const hue = Math.round(((labelIndex * GOLDEN_ANGLE_DEGREES) % 360) * 10) / 10;
  const lightness = LIGHTNESS_LEVELS[Math.floor(labelIndex / 7) % LIGHTNESS_LEVELS.length]!;
  const color = makeColor(hue, 70, lightness);
  if (generatedCache.size < 10_000) generatedCache.set(labelIndex, color);
  return color;
}

function makeColor(hue: number, saturation: number, lightness: number): LabelColor {
  // Yellows and greens look far lighter than blues at the same HSL lightness; judge by perceived brightness.
  const text = relativeLuminance(hue, saturation, lightness) > 0.45 ? '#000' : '#fff';
  return { fill: `hsl(${hue} ${saturation}% ${lightness}%)`, text, hue, saturation, lightness };
}

/** The bar colour alone, for callers that only fill. */
export function segmentColor(labelIndex: number, labelCount = 0): string {
  return labelColor(labelIndex, labelCount).fill;
}

/** Perceived brightness 0..1 of an HSL colour (sRGB, Rec. 709 weights, gamma-decoded). */
function relativeLuminance(hue: number, saturation: number, lightness: number): number {
  const [red, green, blue] = hslToRgb(hue, saturation / 100, lightness / 100).map(decodeGamma) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** HSL (degrees, 0..1, 0..1) to sRGB channels 0..1: [red, green, blue]. */
export function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (offset: number): number => {
    const k = (offset + hue / 30) % 12;
    return lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [channel(0), channel(8), channel(4)];
}

/** An sRGB channel 0..1 to linear light 0..1. */
export function decodeGamma(value: number): number {
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}
