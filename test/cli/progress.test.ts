import { describe, expect, it } from 'vitest';
import { formatDuration, progressLine } from '../../src/cli/progress.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.2, '1s'],
    [59, '59s'],
    [60, '1m00s'],
    [75, '1m15s'],
    [3599.5, '1h00m'],
    [3725, '1h02m'],
    [-1, '?'],
    [Number.NaN, '?'],
    [Number.POSITIVE_INFINITY, '?'],
  ])('%d s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('progressLine', () => {
  it.each([
    ['layer', 0, 12, 0, 'layer 0/12 · 0% · ? left'],
    ['layer', 3, 12, 30_000, 'layer 3/12 · 25% · 1m30s left'],
    ['layer', 12, 12, 212_000, 'layer 12/12 · 100% · done in 3m32s'],
    ['window', 1, 3, 500, 'window 1/3 · 33% · 1s left'],
  ])('%s %i/%i after %i ms', (label, done, total, elapsed, text) => {
    expect(progressLine(label, done, total, elapsed)).toBe(text);
  });
});
