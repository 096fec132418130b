/** Pairing raw frame bytes with showinfo timestamps, whatever order and chunking they arrive in. */
import { describe, expect, it } from 'vitest';
import { LongviewError } from '../../src/shared/errors.js';
import { adler32, FrameAssembler } from '../../src/video/frame-assembler.js';
import type { ShowinfoFrame } from '../../src/video/showinfo.js';

/** Frame k of a 2×2 RGB video (12 bytes): every byte is k·16 + position. */
function frameBytes(k: number): Uint8Array {
  return Uint8Array.from({ length: 12 }, (_, position) => k * 16 + position);
}

function takeAll(assembler: FrameAssembler) {
  const frames = [];
  for (let frame = assembler.take(); frame !== undefined; frame = assembler.take()) frames.push(frame);
  return frames;
}

/** showinfo's line for output frame n in slot `pts` of a 2 fps grid (0.5 s a slot). */
function time(n: number, pts: number, checksum?: number): ShowinfoFrame {
  return checksum === undefined ? { n, pts, ptsSeconds: pts / 2 } : { n, pts, ptsSeconds: pts / 2, checksum };
}

describe('FrameAssembler', () => {
  it.each([
    { case: 'one chunk per frame', chunkSize: 12 },
    { case: 'tiny chunks', chunkSize: 5 },
    { case: 'chunks spanning frames', chunkSize: 17 },
    { case: 'everything at once', chunkSize: 36 },
  ])('rebuilds frames from $case', ({ chunkSize }) => {
    const assembler = new FrameAssembler(12, 1);
    const stream = new Uint8Array([...frameBytes(0), ...frameBytes(1), ...frameBytes(2)]);
    for (let start = 0; start < stream.length; start += chunkSize) assembler.pushBytes(stream.subarray(start, start + chunkSize));
    [0, 1, 2].forEach((n) => assembler.pushTime(time(n, n)));
    const frames = takeAll(assembler);
    expect(frames.map((frame) => Array.from(frame.rgb))).toEqual([0, 1, 2].map((k) => Array.from(frameBytes(k))));
    expect(frames.map((frame) => frame.seconds)).toEqual([0, 0.5, 1]);
  });

  it('waits for the timestamp when the bytes come first, and for the bytes when the time comes first', () => {
    const assembler = new FrameAssembler(12, 1);
    assembler.pushBytes(frameBytes(0));
    expect(assembler.take()).toBeUndefined();
    assembler.pushTime(time(0, 0));
    assembler.pushTime(time(1, 1));
    expect(assembler.take()?.seconds).toBe(0);
    expect(assembler.take()).toBeUndefined();
    assembler.pushBytes(frameBytes(1));
    expect(assembler.take()?.seconds).toBe(0.5);
  });

  it.each([
    { case: 'stride 1 from the start', stride: 1, slots: [0, 1, 2], indices: [0, 1, 2] },
    { case: 'stride 4 from the start', stride: 4, slots: [0, 4, 8], indices: [0, 1, 2] },
    { case: 'stride 4, resumed at sampled frame 10', stride: 4, slots: [40, 44, 48], indices: [10, 11, 12] },
  ])('numbers frames by their slot: $case', ({ stride, slots, indices }) => {
    const assembler = new FrameAssembler(12, stride);
    slots.forEach((slot, n) => {
      assembler.pushBytes(frameBytes(n));
      assembler.pushTime(time(n, slot));
    });
    expect(takeAll(assembler).map((frame) => [frame.index, frame.seconds])).toEqual(indices.map((index, n) => [index, (slots[n] ?? 0) / 2]));
  });

  it.each([
    { case: 'a slot off the stride', slots: [0, 6] },
    { case: 'a slot going backwards', slots: [8, 4] },
    { case: 'a repeated slot', slots: [4, 4] },
  ])('refuses $case as a broken pairing', ({ slots }) => {
    const assembler = new FrameAssembler(12, 4);
    assembler.pushBytes(frameBytes(0));
    assembler.pushBytes(frameBytes(1));
    assembler.pushTime(time(0, slots[0] ?? 0));
    expect(() => assembler.pushTime(time(1, slots[1] ?? 0))).toThrow(/not the next slot on the sampling grid/);
  });

  it('hands out frames that own their memory', () => {
    const assembler = new FrameAssembler(12, 1);
    const chunk = frameBytes(3);
    assembler.pushBytes(chunk);
    assembler.pushTime(time(0, 0));
    chunk.fill(0);
    const frame = assembler.take();
    expect(Array.from(frame?.rgb ?? [])).toEqual(Array.from(frameBytes(3)));
    expect(frame?.rgb.buffer.byteLength).toBe(12);
  });

  it('accepts a matching checksum and refuses a mismatch as an internal error, as soon as the pair is complete', () => {
    const assembler = new FrameAssembler(12, 1);
    assembler.pushBytes(frameBytes(0));
    assembler.pushBytes(frameBytes(1));
    assembler.pushTime(time(0, 0, adler32(frameBytes(0))));
    expect(assembler.take()?.index).toBe(0);
    let caught: unknown;
    try {
      assembler.pushTime(time(1, 1, adler32(frameBytes(2))));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LongviewError);
    expect(caught).toMatchObject({ kind: 'internal', reason: 'frame-mismatch' });
    expect(assembler.take()).toBeUndefined();
  });

  it('ignores a repeated or stale frame number', () => {
    const assembler = new FrameAssembler(12, 1);
    assembler.pushTime(time(0, 0));
    assembler.pushTime({ n: 0, pts: 7, ptsSeconds: 99 });
    assembler.pushBytes(frameBytes(0));
    expect(assembler.take()?.seconds).toBe(0);
    assembler.pushTime({ n: 0, pts: 9, ptsSeconds: 42 });
    assembler.pushBytes(frameBytes(1));
    expect(assembler.take()).toBeUndefined();
  });

  it('counts complete, buffered and leftover frames', () => {
    const assembler = new FrameAssembler(12, 1);
    assembler.pushBytes(new Uint8Array([...frameBytes(0), ...frameBytes(1), ...frameBytes(2), 1, 2, 3]));
    assembler.pushTime(time(0, 0));
    assembler.pushTime(time(1, 1));
    expect(assembler.completeFrames).toBe(2);
    expect(assembler.lastCompleteSeconds).toBe(0.5);
    expect(assembler.bufferedFrames).toBe(3);
    assembler.take();
    expect(assembler.completeFrames).toBe(2);
    expect(assembler.bufferedFrames).toBe(2);
    expect(assembler.leftovers()).toEqual({ framesWithoutTime: 1, trailingBytes: 3 });
  });

  it('has no last time before the first frame', () => {
    expect(new FrameAssembler(12, 1).lastCompleteSeconds).toBeNull();
  });
});

describe('adler32 (started at 0, as showinfo computes it)', () => {
  /** The definition, one byte at a time. */
  function reference(bytes: Uint8Array): number {
    let low = 0;
    let high = 0;
    for (const byte of bytes) {
      low = (low + byte) % 65521;
      high = (high + low) % 65521;
    }
    return ((high << 16) | low) >>> 0;
  }

  it.each([
    { case: 'nothing', bytes: new Uint8Array(0), expected: 0 },
    { case: '1, 2, 3', bytes: Uint8Array.of(1, 2, 3), expected: (10 << 16) | 6 },
    // Standard Adler-32 of "Wikipedia" is 0x11E60398; starting from 0 lowers A by 1 and B by the length.
    { case: '"Wikipedia"', bytes: new TextEncoder().encode('Wikipedia'), expected: 0x11dd0397 },
  ])('of $case', ({ bytes, expected }) => {
    expect(adler32(bytes)).toBe(expected);
  });

  it('matches the definition on a frame-sized buffer of 255s (the sums wrap many times)', () => {
    const bytes = new Uint8Array(224 * 224 * 3).fill(255);
    expect(adler32(bytes)).toBe(reference(bytes));
  });

  it('matches the checksum ffmpeg 5.1 logged for a real 16×16 frame', () => {
    // `color=c=0xC86432:s=16x16,format=rgb24,showinfo` decodes to solid (199, 99, 49) and logs checksum:E2075B0F.
    const bytes = new Uint8Array(16 * 16 * 3);
    for (let pixel = 0; pixel < 256; pixel++) bytes.set([199, 99, 49], pixel * 3);
    expect(adler32(bytes)).toBe(0xe2075b0f);
  });
});
