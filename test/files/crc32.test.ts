/** CRC-32 against known check values (computed with Python's zlib.crc32). */
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/files/crc32.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('crc32', () => {
  // Expected values from Python's zlib.crc32.
  it.each([
    ['empty', new Uint8Array(0), 0x00000000],
    ['"a"', text('a'), 0xe8b7be43],
    ['"abc"', text('abc'), 0x352441c2],
    ['"123456789" (the standard check value)', text('123456789'), 0xcbf43926],
    ['the quick brown fox', text('The quick brown fox jumps over the lazy dog'), 0x414fa339],
    ['bytes 0..255', Uint8Array.from({ length: 256 }, (_, byte) => byte), 0x29058c73],
    ['32 × 0xFF', new Uint8Array(32).fill(0xff), 0xff6cab0b],
  ])('%s', (_name, bytes, expected) => {
    expect(crc32(bytes)).toBe(expected);
  });

  it('is unsigned and sees a single flipped bit', () => {
    const bytes = text('123456789');
    const flipped = Uint8Array.from(bytes);
    flipped[4] = flipped[4]! ^ 0x01;
    expect(crc32(bytes)).toBeGreaterThan(0x7fffffff);
    expect(crc32(flipped)).not.toBe(crc32(bytes));
  });

  it('reads only the view it is given', () => {
    const backing = text('xx123456789yy');
    expect(crc32(backing.subarray(2, 11))).toBe(0xcbf43926);
  });
});
