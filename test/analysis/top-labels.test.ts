import { describe, expect, it } from 'vitest';
import { topLabels } from '../../src/analysis/top-labels.js';

describe('topLabels', () => {
  it('orders by probability, breaks ties by class index, names unknown classes', () => {
    const top = topLabels([1, 3, 3, 0], ['a', 'b', 'c'], 3);
    expect(top.map((entry) => [entry.label, entry.index])).toEqual([['b', 1], ['c', 2], ['a', 0]]);
    expect(top[0]!.score).toBeCloseTo(Math.exp(3) / (Math.exp(1) + 2 * Math.exp(3) + 1), 12);
    expect(topLabels([0, 0, 5], ['a'], 1)[0]!.label).toBe('class 2');
  });
});
