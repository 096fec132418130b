/**
 * One colour per label index, the same on every run and in every view (timeline bars, list
 * swatches, heat strips). Hues step by the golden angle, so labels with nearby indices (often
 * related classes) land far apart on the colour wheel; lightness cycles through three levels so
 * that two labels whose hues come close still differ.
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

const GOLDEN_ANGLE_DEGREES = 137.50776405003785;
const LIGHTNESS_LEVELS = [52, 38, 66];
const NEUTRAL: LabelColor = { fill: 'hsl(0 0% 55%)', text: '#000', hue: 0, saturation: 0, lightness: 55 };

const cache = new Map<number, LabelColor>();

export function labelColor(labelIndex: number): LabelColor {
  if (!Number.isInteger(labelIndex) || labelIndex < 0) return NEUTRAL;
  const known = cache.get(labelIndex);
  if (known !== undefined) return known;
  const hue = Math.round(((labelIndex * GOLDEN_ANGLE_DEGREES) % 360) * 10) / 10;
  const lightness = LIGHTNESS_LEVELS[Math.floor(labelIndex / 7) % LIGHTNESS_LEVELS.length]!;
  const saturation = 70;
  // Yellows and greens look far lighter than blues at the same HSL lightness; judge by perceived brightness.
  const text = relativeLuminance(hue, saturation, lightness) > 0.45 ? '#000' : '#fff';
  const color = { fill: `hsl(${hue} ${saturation}% ${lightness}%)`, text, hue, saturation, lightness };
  if (cache.size < 10_000) cache.set(labelIndex, color);
  return color;
}

/** The bar colour alone, for callers that only fill. */
export function segmentColor(labelIndex: number): string {
  return labelColor(labelIndex).fill;
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

function decodeGamma(value: number): number {
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}
