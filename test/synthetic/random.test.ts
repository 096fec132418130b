import { describe, expect, it } from 'vitest';
import { createRandom, hashSeed } from '../../src/synthetic/random.js';

function draws(seed: number, count: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random.next());
}

describe('createRandom', () => {
  it('repeats its sequence for the same seed and differs between nearby seeds', () => {
    expect(draws(42, 50)).toEqual(draws(42, 50));
    expect(draws(1, 50)).not.toEqual(draws(2, 50));
    expect(hashSeed(0.5)).not.toBe(hashSeed(0));
    expect(hashSeed(-3)).not.toBe(hashSeed(3));
  });

  it('draws next() in [0, 1) and uniform(low, high) in [low, high)', () => {
    const random = createRandom(7);
    for (let draw = 0; draw < 10_000; draw += 1) {
      const unit = random.next();
      expect(unit >= 0 && unit < 1).toBe(true);
      const value = random.uniform(-3, 5);
      expect(value >= -3 && value < 5).toBe(true);
    }
  });

  it('draws int(low, high) with both ends included and nothing outside', () => {
    const random = createRandom(9);
    const seen = new Set<number>();
    for (let draw = 0; draw < 2_000; draw += 1) seen.add(random.int(2, 6));
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it('draws normal values with about the asked mean and deviation', () => {
    const random = createRandom(11);
    const values = Array.from({ length: 20_000 }, () => random.normal(10, 2));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const deviation = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(deviation).toBeGreaterThan(1.9);
    expect(deviation).toBeLessThan(2.1);
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('picks every item of a list and refuses an empty one', () => {
    const random = createRandom(13);
    const seen = new Set(Array.from({ length: 500 }, () => random.pick(['a', 'b', 'c'])));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(() => random.pick([])).toThrow(RangeError);
  });
});
