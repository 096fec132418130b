/**
 * Seeded randomness for training: every draw (initial weights, data order, augmentation) comes
 * from one of these, so the same seed gives the same model bit for bit on the same backend.
 */

/** mulberry32: a 32-bit state, uniform floats in [0, 1). Small and fast; quality is ample for shuffling and init. */
export function uniformSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a uniform source. */
export function normalSource(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform(); // (0, 1]: log(0) never happens
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** A whole number in [0, count). */
export function randomIndex(uniform: () => number, count: number): number {
  return Math.min(count - 1, Math.floor(uniform() * count));
}

/** Fisher–Yates, in place; returns the array. */
export function shuffleInPlace<T>(items: T[], uniform: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomIndex(uniform, i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
