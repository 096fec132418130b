/** Reading a store as complete lines: offsets, unterminated tails, the line limit, chunk seams. */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLines } from '../../../src/analysis/store/line-reader.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'longview-lines-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

function linesOf(content: Buffer, maximumLineBytes: number): { text: string; endOffset: number }[] {
  const path = join(folder, 'file');
  writeFileSync(path, content);
  const descriptor = openSync(path, 'r');
  try {
    return [...readLines(descriptor, maximumLineBytes)].map((line) => ({ text: Buffer.from(line.bytes).toString('latin1'), endOffset: line.endOffset }));
  } finally {
    closeSync(descriptor);
  }
}

describe('readLines', () => {
  it.each<[string, string, number, [string, number][]]>([
    ['complete lines with their end offsets', 'ab\n\ncde\n', 100, [['ab', 3], ['', 4], ['cde', 8]]],
    ['an unterminated last line left out', 'ab\ncd', 100, [['ab', 3]]],
    ['an empty file', '', 100, []],
    ['a stop at the first line over the limit (newline counted)', 'ab\ncdef\ng\n', 4, [['ab', 3]]],
    ['a line exactly at the limit', 'abc\nd\n', 4, [['abc', 4], ['d', 6]]],
    ['a stop at an unterminated tail over the limit', 'ab\ncdefgh', 4, [['ab', 3]]],
  ])('yields %s', (_name, content, maximum, expected) => {
    expect(linesOf(Buffer.from(content, 'latin1'), maximum)).toEqual(expected.map(([text, endOffset]) => ({ text, endOffset })));
  });

  it('joins a line that spans several 1 MiB reads', () => {
    const long = 'x'.repeat(2.5 * 1024 * 1024);
    const lines = linesOf(Buffer.from(`a\n${long}\nb\n`, 'latin1'), 4 * 1024 * 1024);
    expect(lines.map((line) => line.text.length)).toEqual([1, long.length, 1]);
    expect(lines.map((line) => line.endOffset)).toEqual([2, 2 + long.length + 1, 2 + long.length + 3]);
  });
});
