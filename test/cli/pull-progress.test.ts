import { describe, expect, it } from 'vitest';
import { formatBytes, PullProgress } from '../../src/cli/pull-progress.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1536, '1.5 KB'],
    [486_000_000, '486.0 MB'],
    [2.5e12, '2.5 TB'],
    [Number.NaN, '?'],
  ])('%s → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('PullProgress', () => {
  it('counts resumed bytes as done but not toward the speed', () => {
    const progress = new PullProgress();
    progress.update({ type: 'resolved', repository: 'a/b', revision: 'main', commit: 'c', files: [], totalBytes: 1_000_000 }, 0);
    progress.update({ type: 'file', name: 'model.safetensors', sizeBytes: 1_000_000, resumedFromBytes: 400_000, cached: false }, 0);
    progress.update({ type: 'progress', name: 'model.safetensors', receivedBytes: 400_000, totalBytes: 1_000_000, fileReceivedBytes: 400_000, fileBytes: 1_000_000 }, 1_000);
    progress.update({ type: 'progress', name: 'model.safetensors', receivedBytes: 600_000, totalBytes: 1_000_000, fileReceivedBytes: 600_000, fileBytes: 1_000_000 }, 3_000);
    // 200 KB in 2 s.
    expect(progress.speed(3_000)).toBeCloseTo(100_000, 6);
    expect(progress.line(3_000, 10)).toBe('[######....] 600.0 KB of 1.0 MB · 60% · 100.0 KB/s · 4s left');
  });
});
