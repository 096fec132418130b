/** Splitting stderr into lines and keeping a bounded tail of them. */
import { describe, expect, it } from 'vitest';
import { LineRing, LineSplitter } from '../../src/video/stderr-lines.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('LineSplitter', () => {
  it.each([
    { case: 'newline-terminated lines', chunks: ['a\nb\n'], lines: ['a', 'b'] },
    { case: 'a line split across chunks', chunks: ['fra', 'me 1\nfr', 'ame 2\n'], lines: ['frame 1', 'frame 2'] },
    { case: 'CRLF and lone CR endings', chunks: ['one\r\ntwo\rthree\n'], lines: ['one', 'two', 'three'] },
    { case: 'an unterminated last line, flushed at the end', chunks: ['done\nlast words'], lines: ['done', 'last words'] },
    { case: 'empty lines kept', chunks: ['\n\nx\n'], lines: ['', '', 'x'] },
  ])('$case', ({ chunks, lines }) => {
    const splitter = new LineSplitter();
    const seen = chunks.flatMap((chunk) => splitter.push(bytes(chunk)));
    expect([...seen, ...splitter.end()]).toEqual(lines);
  });

  it('decodes a multi-byte character split between chunks', () => {
    const splitter = new LineSplitter();
    const encoded = bytes('größe ×2\n');
    const cut = encoded.indexOf(0xc3) + 1;
    expect([...splitter.push(encoded.subarray(0, cut)), ...splitter.push(encoded.subarray(cut))]).toEqual(['größe ×2']);
  });

  it('clips an endless line instead of buffering it', () => {
    const splitter = new LineSplitter(10);
    for (let chunk = 0; chunk < 100; chunk++) expect(splitter.push(bytes('x'.repeat(1000)))).toEqual([]);
    const [line] = splitter.push(bytes('\n'));
    expect(line?.startsWith('x'.repeat(10))).toBe(true);
    expect(line?.length).toBeLessThanOrEqual(12);
  });
});

describe('LineRing', () => {
  it('keeps only the most recent lines, oldest first', () => {
    const ring = new LineRing(3, 100);
    for (const line of ['1', '2', '3', '4', '5']) ring.push(line);
    expect(ring.snapshot()).toEqual(['3', '4', '5']);
  });

  it('clips long lines and marks the cut', () => {
    const ring = new LineRing(2, 5);
    ring.push('abcdefgh');
    ring.push('abc');
    expect(ring.snapshot()).toEqual(['abcde…', 'abc']);
  });

  it('hands out a copy', () => {
    const ring = new LineRing(2, 5);
    ring.push('a');
    const snapshot = ring.snapshot();
    ring.push('b');
    expect(snapshot).toEqual(['a']);
  });
});
