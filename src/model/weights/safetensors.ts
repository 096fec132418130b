/**
 * safetensors: an 8-byte little-endian header length n, n bytes of JSON, then raw tensor bytes.
 *
 * The header is validated completely before any tensor memory is allocated: bounded size, valid
 * JSON, known dtypes, offsets inside the data section, contiguous and non-overlapping, and
 * shape × element size equal to the byte range. Tensor bytes are read on demand.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ModelError } from '../../shared/errors.js';
import { describeValue } from '../describe-value.js';
import { closeFile, openForReading, readExactly, readFloat32, type OpenFile } from './file-reading.js';
import { elementCount, type StoredDType, type TensorEntry, type TensorSource } from './tensor-source.js';

/**
 * The reference implementation refuses headers above 100 MB and huggingface_hub above 25 MB;
 * real ones are a few hundred KB.
 */
export const MAX_HEADER_BYTES = 25_000_000;

const BYTES_PER_ELEMENT: Record<StoredDType, number> = { F32: 4, F16: 2, BF16: 2 };

interface HeaderEntry {
  name: string;
  dtype: StoredDType;
  shape: number[];
  begin: number;
  end: number;
}

export function openSafetensors(path: string): TensorSource & { readonly metadata: Record<string, string> } {
  const file = openForReading(path);
  try {
    const { entries, metadata, dataStart } = readHeader(file);
    const tensors = new Map<string, TensorEntry>();
    for (const entry of entries) {
      tensors.set(entry.name, {
        name: entry.name,
        dtype: entry.dtype,
        shape: entry.shape,
        read: () => readFloat32(file, dataStart + entry.begin, elementCount(entry.shape), entry.dtype),
      });
    }
    return { entries: tensors, metadata, close: () => closeFile(file) };
  } catch (error) {
    closeFile(file);
    throw error;
  }
}

function corrupt(file: OpenFile, message: string): ModelError {
  return new ModelError('corrupt', `${file.path}: not a valid safetensors file: ${message}`);
}

function readHeader(file: OpenFile): { entries: HeaderEntry[]; metadata: Record<string, string>; dataStart: number } {
  if (file.size < 8) throw new ModelError('truncated', `${file.path}: ${file.size} bytes is too short for a safetensors file`);
  const lengthBytes = new Uint8Array(8);
  readExactly(file, lengthBytes, 0);
  const headerLength = new DataView(lengthBytes.buffer).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) throw corrupt(file, `header length ${headerLength} exceeds ${MAX_HEADER_BYTES} bytes`);
  const length = Number(headerLength);
  if (8 + length > file.size) throw new ModelError('truncated', `${file.path}: header claims ${length} bytes but the file has ${file.size - 8} after the length`);

  const headerBytes = new Uint8Array(length);
  readExactly(file, headerBytes, 8);
  let header: unknown;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
    header = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, `header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (!text.startsWith('{') || typeof header !== 'object' || header === null || Array.isArray(header)) throw corrupt(file, 'header is not a JSON object');
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) throw corrupt(file, `header names ${describeValue(duplicate)} twice in one object`);

  const dataStart = 8 + length;
  const dataSize = file.size - dataStart;
  const entries: HeaderEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(file, value);
      continue;
    }
    entries.push(parseEntry(file, name, value, dataSize));
  }

  // Byte ranges must tile the data section exactly: sorted, no overlap, no gap, nothing after.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const entry of entries) {
    if (entry.begin < expectedBegin) throw corrupt(file, `tensor "${entry.name}" overlaps the previous tensor (begins at ${entry.begin}, previous ends at ${expectedBegin})`);
    if (entry.begin > expectedBegin) throw corrupt(file, `gap before tensor "${entry.name}" (bytes ${expectedBegin}..${entry.begin} unused)`);
    expectedBegin = entry.end;
  }
  if (expectedBegin !== dataSize) {
    if (expectedBegin > dataSize) throw new ModelError('truncated', `${file.path}: tensors need ${expectedBegin} data bytes but the file has ${dataSize}`);
    throw corrupt(file, `${dataSize - expectedBegin} bytes after the last tensor`);
  }
  return { entries, metadata, dataStart };
}

/**
 * Finds a key that appears twice in one JSON object, at any depth (JSON.parse silently keeps the
 * last; the reference reader refuses, and a reader that keeps the first would see another file).
 * The text is already known to parse, so only string boundaries and nesting matter: a small
 * state machine with an explicit stack, no recursion, linear in the text.
 */
export function firstDuplicateKey(text: string): string | undefined {
  const objects: (Set<string> | undefined)[] = []; // one entry per open container; undefined for arrays
  let expectKey = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '"') {
      let end = index + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const keys = objects[objects.length - 1];
      if (expectKey && keys !== undefined) {
        const key = JSON.parse(text.slice(index, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      expectKey = false;
      index = end;
    } else if (character === '{') {
      objects.push(new Set());
      expectKey = true;
    } else if (character === '[') {
      objects.push(undefined);
      expectKey = false;
    } else if (character === '}' || character === ']') {
      objects.pop();
      expectKey = false;
    } else if (character === ',') {
      expectKey = objects[objects.length - 1] !== undefined;
    }
  }
  return undefined;
}

function parseMetadata(file: OpenFile, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt(file, '__metadata__ is not an object');
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw corrupt(file, `__metadata__.${key} is not a string`);
    result[key] = item;
  }
  return result;
}

function parseEntry(file: OpenFile, name: string, value: unknown, dataSize: number): HeaderEntry {
  if (typeof value !== 'object' || value === null) throw corrupt(file, `entry "${name}" is not an object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') {
    throw new ModelError('unsupported-dtype', `${file.path}: tensor "${name}" has dtype ${describeValue(dtype)}; only F32, F16 and BF16 are supported`);
  }
  if (!Array.isArray(shape) || !shape.every((size) => Number.isSafeInteger(size) && size >= 0)) {
    throw corrupt(file, `tensor "${name}" has an invalid shape ${describeValue(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((offset) => Number.isSafeInteger(offset) && offset >= 0)) {
    throw corrupt(file, `tensor "${name}" has invalid data_offsets ${describeValue(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw corrupt(file, `tensor "${name}" ends (${end}) before it begins (${begin})`);
  if (end > dataSize) throw new ModelError('truncated', `${file.path}: tensor "${name}" ends at data byte ${end} but the data section has ${dataSize}`);
  const expectedBytes = elementCount(shape as number[]) * BYTES_PER_ELEMENT[dtype];
  if (expectedBytes !== end - begin) {
    throw corrupt(file, `tensor "${name}" has shape [${shape.join(', ')}] × ${dtype} = ${expectedBytes} bytes but its offsets span ${end - begin}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

export interface TensorToWrite {
  readonly name: string;
  readonly shape: readonly number[];
  /** The values, or a function that makes them when the writer reaches this tensor. */
  readonly data: Float32Array | (() => Float32Array);
}

/**
 * Writes float32 tensors as safetensors, one tensor at a time (a lazily made tensor is never held
 * together with the others), and atomically: a temporary file beside the target is renamed over
 * it, so an existing file is never left half-written, and a failed write leaves nothing behind.
 */
export function writeSafetensors(path: string, tensors: readonly TensorToWrite[], metadata: Record<string, string> = {}): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const tensor of sorted) {
    const bytes = elementCount(tensor.shape) * 4;
    header[tensor.name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));

  const temporary = `${path}.partial-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    writeAll(fd, length);
    writeAll(fd, Buffer.from(json));
    for (const tensor of sorted) {
      const data = typeof tensor.data === 'function' ? tensor.data() : tensor.data;
      if (data.length !== elementCount(tensor.shape)) throw new Error(`tensor ${tensor.name}: ${data.length} values for shape [${tensor.shape.join(', ')}]`);
      writeAll(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    closeSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  renameSync(temporary, path);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}
