/**
 * The scene's background: a smooth value-noise texture (two octaves of random colours on coarse
 * grids, smoothstep-interpolated), computed once per scene, plus what changes every frame: a slow
 * global brightness drift and sensor noise. Sensor noise comes from a precomputed table read at a
 * per-frame offset, so a frame costs one pass of multiply-add and no random draws per pixel.
 */
import { hsvToRgb } from './color.js';
import { mix32, type Random } from './random.js';

/** Sensor-noise table: 2^18 entries, more than one 288×288×3 frame, read with a wrap-around mask. */
const NOISE_TABLE_BITS = 18;
export const NOISE_MASK = (1 << NOISE_TABLE_BITS) - 1;
/** Standard deviation of the sensor noise, in 0..255 units. */
const NOISE_DEVIATION = 4;

export interface Background {
  /** width × height × 3 RGB, 0..255, before drift and noise. */
  texture: Float32Array;
  /** Gaussian sensor noise, rounded to whole units and clipped to ±3 deviations. */
  noise: Int8Array;
  /** Brightness factor at a time, seconds: 1 ± 0.1, one slow sine per scene (period 15–45 s). */
  gainAt(seconds: number): number;
  /** Where frame `frameIndex` starts reading the noise table. */
  noiseOffset(frameIndex: number): number;
}

export function createBackground(random: Random, width: number, height: number): Background {
  const hue = random.uniform(0, 360);
  const base = hsvToRgb(hue, random.uniform(0.15, 0.4), random.uniform(0.3, 0.5));
  const texture = new Float32Array(width * height * 3);
  const side = Math.min(width, height);
  addOctave(texture, width, height, Math.max(8, side / 5), 28, random);
  addOctave(texture, width, height, Math.max(4, side / 20), 10, random);
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    for (let channel = 0; channel < 3; channel += 1) texture[pixel * 3 + channel] = (texture[pixel * 3 + channel] ?? 0) + (base[channel] ?? 0);
  }

  const noise = new Int8Array(NOISE_MASK + 1);
  const limit = 3 * NOISE_DEVIATION;
  for (let index = 0; index < noise.length; index += 1) {
    noise[index] = Math.max(-limit, Math.min(limit, Math.round(random.normal(0, NOISE_DEVIATION))));
  }

  const driftPeriod = random.uniform(15, 45);
  const driftPhase = random.uniform(0, 2 * Math.PI);
  const noiseSeed = random.int(0, 0x7fffffff);
  return {
    texture,
    noise,
    gainAt: (seconds) => 1 + 0.1 * Math.sin((2 * Math.PI * seconds) / driftPeriod + driftPhase),
    noiseOffset: (frameIndex) => mix32(noiseSeed ^ Math.imul(frameIndex + 1, 0x9e3779b1)) & NOISE_MASK,
  };
}

/**
 * Adds value noise: random colour offsets in ±amplitude on a grid of `cell` pixels, interpolated
 * with smoothstep weights so the texture has no visible grid lines.
 */
function addOctave(texture: Float32Array, width: number, height: number, cell: number, amplitude: number, random: Random): void {
  const columns = Math.ceil(width / cell) + 2;
  const rows = Math.ceil(height / cell) + 2;
  const nodes = new Float32Array(columns * rows * 3);
  for (let index = 0; index < nodes.length; index += 1) nodes[index] = random.uniform(-amplitude, amplitude);
  for (let y = 0; y < height; y += 1) {
    const gridY = y / cell;
    const row = Math.floor(gridY);
    const weightY = smoothstep(gridY - row);
    for (let x = 0; x < width; x += 1) {
      const gridX = x / cell;
      const column = Math.floor(gridX);
      const weightX = smoothstep(gridX - column);
      const topLeft = (row * columns + column) * 3;
      const bottomLeft = topLeft + columns * 3;
      for (let channel = 0; channel < 3; channel += 1) {
        const top = lerp(nodes[topLeft + channel] ?? 0, nodes[topLeft + 3 + channel] ?? 0, weightX);
        const bottom = lerp(nodes[bottomLeft + channel] ?? 0, nodes[bottomLeft + 3 + channel] ?? 0, weightX);
        const at = (y * width + x) * 3 + channel;
        texture[at] = (texture[at] ?? 0) + lerp(top, bottom, weightY);
      }
    }
  }
}

function smoothstep(fraction: number): number {
  return fraction * fraction * (3 - 2 * fraction);
}

function lerp(from: number, to: number, weight: number): number {
  return from + (to - from) * weight;
}
