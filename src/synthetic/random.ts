/**
 * A small seeded pseudo-random generator (mulberry32: a 32-bit state advanced by a Weyl step and
 * mixed by two multiply-xorshift rounds). Same seed, same sequence, on every platform: the
 * synthetic videos and their ground truth must be reproducible from the seed alone. Not for
 * anything secret.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform whole number in [low, high], both included. */
  int(low: number, high: number): number;
  /** Gaussian with this mean and standard deviation (Box–Muller). */
  normal(mean?: number, deviation?: number): number;
  /** One item of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random {
  let state = hashSeed(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int: (low, high) => low + Math.floor(next() * (high - low + 1)),
    normal: (mean = 0, deviation = 1) => {
      // 1 − u is in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      return mean + deviation * radius * Math.cos(2 * Math.PI * next());
    },
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick needs at least one item');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}

/**
 * Any number (fractional, negative, huge) → a well-mixed 32-bit state, so nearby seeds (1, 2, 3)
 * start unrelated sequences.
 */
export function hashSeed(seed: number): number {
  const whole = Math.floor(Math.abs(seed) % 4294967296);
  const fraction = Math.floor((Math.abs(seed) % 1) * 4294967296);
  return mix32(mix32(whole ^ 0x9e3779b9) ^ fraction ^ (seed < 0 ? 0x85ebca6b : 0));
}

/** murmur3's 32-bit finalizer: every input bit flips about half the output bits. */
export function mix32(value: number): number {
  let mixed = value | 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}
