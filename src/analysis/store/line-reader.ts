/**
 * Reads a store file as newline-terminated lines, a megabyte at a time, so a store of tens of MB
 * (1,700 windows × ~35 KB) never has to be in memory as one string.
 */
import { readSync } from 'node:fs';

export interface StoredLine {
  /** The line's bytes without its newline. */
  bytes: Uint8Array;
  /** File offset just past the newline: where the file may be cut to keep this line and those before. */
  endOffset: number;
}

const NEWLINE = 0x0a;
const CHUNK_BYTES = 1024 * 1024;

/**
 * The complete lines of the open file `descriptor`, from offset 0. Stops without yielding at the
 * first line longer than `maximumLineBytes` (newline included) and at an unterminated last line:
 * neither can be a whole record, and the caller cuts the file where yielding stopped.
 */
export function* readLines(descriptor: number, maximumLineBytes: number): Generator<StoredLine> {
  const chunk = Buffer.alloc(CHUNK_BYTES);
  // Bytes read but not yet part of a yielded line, and the file offset of their first byte.
  let carried: Buffer = Buffer.alloc(0);
  let carriedOffset = 0;
  for (;;) {
    const count = readSync(descriptor, chunk, 0, CHUNK_BYTES, carriedOffset + carried.length);
    if (count === 0) return;
    // A fresh buffer each time: yielded lines are views into it and must not be overwritten.
    const buffer = Buffer.concat([carried, chunk.subarray(0, count)]);
    let lineStart = 0;
    for (let newline = buffer.indexOf(NEWLINE); newline !== -1; newline = buffer.indexOf(NEWLINE, lineStart)) {
      if (newline + 1 - lineStart > maximumLineBytes) return;
      yield { bytes: buffer.subarray(lineStart, newline), endOffset: carriedOffset + newline + 1 };
      lineStart = newline + 1;
    }
    carried = buffer.subarray(lineStart);
    carriedOffset += lineStart;
    if (carried.length >= maximumLineBytes) return;
  }
}
