import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/shared/analysis.js';
import { formatSeconds, segmentTable } from '../../src/cli/segment-table.js';

function segment(start: number, end: number, label: string, confidence: number, alternatives: [string, number][] = []): Segment {
  return {
    startSeconds: start,
    endSeconds: end,
    startFrame: Math.floor(start * 30),
    endFrame: Math.ceil(end * 30),
    label,
    labelIndex: 0,
    confidence,
    alternatives: alternatives.map(([name, score], index) => ({ label: name, index: index + 1, score })),
  };
}

describe('segmentTable', () => {
  it.each([
    [0, '0:00:00.0'],
    [83.25, '0:01:23.3'],
    [3600 * 2 + 61.04, '2:01:01.0'],
    [-1, '0:00:00.0'],
  ])('formatSeconds(%s) = %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });

  it('aligns columns and lists alternatives', () => {
    const table = segmentTable([segment(0, 12.8, 'cooking egg', 0.8231, [['frying', 0.05], ['boiling', 0.04]]), segment(12.8, 70, 'washing dishes', 0.5)]);
    expect(table).toBe(
      [
        'start      end        label           conf  alternatives',
        '0:00:00.0  0:00:12.8  cooking egg     0.82  frying 0.05, boiling 0.04',
        '0:00:12.8  0:01:10.0  washing dishes  0.50',
        '',
      ].join('\n'),
    );
  });

  it('keeps one line per segment whatever the label holds', () => {
    const table = segmentTable([segment(0, 1, 'evil\nlabel\u001b[31m', 0.9)]);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).not.toContain('\u001b');
  });

  it('says so when there is nothing', () => {
    expect(segmentTable([])).toMatch(/No segments/);
  });
});
