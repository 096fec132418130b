/** Small, bounds-checked positional reads shared by the checkpoint readers. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ModelError } from '../../shared/errors.js';

export interface OpenFile {
  readonly path: string;
  readonly fd: number;
  /** Bytes. */
  readonly size: number;
}

/**
 * Opens a regular file for positional reads. O_NONBLOCK makes opening a FIFO return at once
 * instead of waiting forever for a writer (a "checkpoint" path can be anything); it changes
 * nothing for regular files, and anything that is not one is refused right after.
 */
export function openForReading(path: string): OpenFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ModelError('unreadable', `cannot open ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new ModelError('unreadable', `${path} is not a regular file`);
  }
  return { path, fd, size: stats.size };
}

export function closeFile(file: OpenFile): void {
  closeSync(file.fd);
}

/** A whole small text file (UTF-8), refused above `maxBytes` before anything is allocated. */
export function readTextFile(path: string, maxBytes: number): string {
  const file = openForReading(path);
  try {
    if (file.size > maxBytes) throw new ModelError('unreadable', `${path} is ${file.size} bytes, more than the ${maxBytes} expected of it`);
    const bytes = new Uint8Array(file.size);
    readExactly(file, bytes, 0);
    return new TextDecoder('utf-8').decode(bytes);
  } finally {
    closeFile(file);
  }
}

/**
 * Fills `target` with the bytes at [position, position + target.length).
 * Refuses ranges outside the file before touching the disk, so a lying header cannot make us
 * read past the end or allocate for it.
 */
export function readExactly(file: OpenFile, target: Uint8Array, position: number): void {
  if (!Number.isSafeInteger(position) || position < 0 || position + target.length > file.size) {
    throw new ModelError('truncated', `${file.path}: read of ${target.length} bytes at ${position} is outside the file (${file.size} bytes)`);
  }
  let done = 0;
  while (done < target.length) {
    const count = readSync(file.fd, target, done, target.length - done, position + done);
    if (count === 0) throw new ModelError('truncated', `${file.path}: file ended early at byte ${position + done}`);
    done += count;
  }
}

/** Reads little-endian float32 / float16 / bfloat16 bytes and widens them to float32. */
export function readFloat32(file: OpenFile, position: number, count: number, dtype: 'F32' | 'F16' | 'BF16'): Float32Array {
  const result = new Float32Array(count);
  if (dtype === 'F32') {
    // Read straight into the result's memory: one copy of the tensor, not two.
    readExactly(file, new Uint8Array(result.buffer), position);
    return result;
  }
  const halves = new Uint16Array(count);
  readExactly(file, new Uint8Array(halves.buffer), position);
  widenHalves(halves, dtype, result);
  return result;
}

/**
 * Little-endian float32 / float16 / bfloat16 bytes already in memory (e.g. an inflated zip
 * record) → float32. `bytes` may start at any offset; its length must be a whole number of elements.
 */
export function float32FromBytes(bytes: Uint8Array, dtype: 'F32' | 'F16' | 'BF16'): Float32Array {
  const elementSize = dtype === 'F32' ? 4 : 2;
  if (bytes.length % elementSize !== 0) throw new Error(`${bytes.length} bytes is not a whole number of ${dtype} values`);
  // Copying into a fresh buffer also aligns the data for the typed-array views.
  const aligned = new Uint8Array(bytes);
  if (dtype === 'F32') return new Float32Array(aligned.buffer);
  const result = new Float32Array(bytes.length / 2);
  widenHalves(new Uint16Array(aligned.buffer), dtype, result);
  return result;
}

function widenHalves(halves: Uint16Array, dtype: 'F16' | 'BF16', result: Float32Array): void {
  if (dtype === 'BF16') {
    // bfloat16 is the top half of a float32.
    const bits = new Uint32Array(result.buffer, result.byteOffset, result.length);
    for (let i = 0; i < halves.length; i++) bits[i] = halves[i]! << 16;
  } else {
    for (let i = 0; i < halves.length; i++) result[i] = float16ToFloat32(halves[i]!);
  }
}

/** IEEE 754 binary16 → number, subnormals, infinities and NaN included. */
export function float16ToFloat32(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
