/**
 * A minimal, strict ZIP reader for torch.save archives.
 *
 * Only the central directory is read up front; entry data is read on demand with positional
 * reads, so a 490 MB checkpoint is never pulled into memory as a whole. Every offset and size is
 * checked against the file before it is used. ZIP64 (which torch writes for every archive, and
 * needs for files above 4 GiB) is supported; encryption, multi-disk archives and compression
 * methods other than stored (0) and deflate (8) are refused.
 */
import { inflateRawSync } from 'node:zlib';
import { ModelError } from '../../shared/errors.js';
import { closeFile, openForReading, readExactly, type OpenFile } from './file-reading.js';

export interface ZipEntry {
  readonly name: string;
  /** 0 = stored, 8 = deflate. */
  readonly method: 0 | 8;
  /** Bytes of entry data in the archive. */
  readonly compressedSize: number;
  /** Bytes after decompression (== compressedSize when stored). */
  readonly size: number;
  readonly crc32: number;
  /** Absolute archive offset of the first data byte, taken from the local header. */
  readonly dataOffset: number;
}

export interface ZipArchive {
  readonly file: OpenFile;
  /** In central-directory order. */
  readonly entries: ReadonlyMap<string, ZipEntry>;
  /**
   * The entry's whole uncompressed content, CRC-checked. Meant for small records (data.pkl,
   * version); refuses entries larger than `maxBytes` before allocating.
   */
  read(entry: ZipEntry, maxBytes: number): Uint8Array;
  close(): void;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_BYTES = 22;
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_EOCD_BYTES = 56;
const CENTRAL_BYTES = 46;
const LOCAL_BYTES = 30;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_EXTRA_ID = 0x0001;
/** A 16-bit or 32-bit field with all bits set means "the real value is in the ZIP64 record". */
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
/** General-purpose flags: bit 0 = encrypted, bit 3 = sizes in a trailing data descriptor, bit 6 = strong encryption. */
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;

export function openZip(path: string): ZipArchive {
  const file = openForReading(path);
  try {
    return readZip(file);
  } catch (error) {
    closeFile(file);
    throw error;
  }
}

/** Reads the directory of an already opened file; the archive then owns (and closes) the file. */
export function readZip(file: OpenFile): ZipArchive {
  const directory = findCentralDirectory(file);
  const entries = readCentralDirectory(file, directory);
  return {
    file,
    entries,
    read: (entry, maxBytes) => readEntry(file, entry, maxBytes),
    close: () => closeFile(file),
  };
}

function corrupt(file: OpenFile, message: string): ModelError {
  return new ModelError('corrupt', `${file.path}: not a valid zip archive: ${message}`);
}

function read(file: OpenFile, position: number, length: number): DataView {
  const bytes = new Uint8Array(length);
  readExactly(file, bytes, position);
  return new DataView(bytes.buffer);
}

/** A u64 that must fit a JavaScript number exactly (2^53 bytes is far beyond any disk file). */
function u64(file: OpenFile, view: DataView, offset: number, what: string): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(file, `${what} ${value} is out of range`);
  return Number(value);
}

interface CentralDirectory {
  offset: number;
  size: number;
  count: number;
}

/**
 * The End Of Central Directory record sits in the last 22 + up to 65535 (comment) bytes. We scan
 * backwards and accept the first signature whose comment length reaches exactly the end of file.
 */
function findCentralDirectory(file: OpenFile): CentralDirectory {
  if (file.size < EOCD_BYTES) throw corrupt(file, `${file.size} bytes is too short for a zip archive`);
  const tailLength = Math.min(file.size, EOCD_BYTES + MAX_COMMENT_BYTES);
  const tailStart = file.size - tailLength;
  const tail = read(file, tailStart, tailLength);
  let eocd = -1;
  for (let at = tailLength - EOCD_BYTES; at >= 0; at--) {
    if (tail.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_BYTES + tail.getUint16(at + 20, true) === tailLength) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt(file, 'no end-of-central-directory record in the last 64 KiB');
  const disk = tail.getUint16(eocd + 4, true);
  const directoryDisk = tail.getUint16(eocd + 6, true);
  const entriesOnDisk = tail.getUint16(eocd + 8, true);
  let count = tail.getUint16(eocd + 10, true);
  let size = tail.getUint32(eocd + 12, true);
  let offset = tail.getUint32(eocd + 16, true);
  const eocdPosition = tailStart + eocd;

  const locatorPosition = eocdPosition - ZIP64_LOCATOR_BYTES;
  const hasLocator = locatorPosition >= 0 && read(file, locatorPosition, 4).getUint32(0, true) === ZIP64_LOCATOR_SIGNATURE;
  // The central directory must end where the (ZIP64) end record begins.
  let directoryEnd = eocdPosition;
  if (hasLocator) {
    const locator = read(file, locatorPosition, ZIP64_LOCATOR_BYTES);
    if (locator.getUint32(4, true) !== 0 || locator.getUint32(16, true) !== 1) throw new ModelError('unsupported', `${file.path}: multi-disk zip archives are not supported`);
    const recordPosition = u64(file, locator, 8, 'ZIP64 end-of-central-directory offset');
    if (recordPosition + ZIP64_EOCD_BYTES > locatorPosition) throw corrupt(file, `ZIP64 end-of-central-directory record at ${recordPosition} overlaps its locator`);
    const record = read(file, recordPosition, ZIP64_EOCD_BYTES);
    if (record.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) throw corrupt(file, `no ZIP64 end-of-central-directory record at ${recordPosition}`);
    if (record.getUint32(16, true) !== 0 || record.getUint32(20, true) !== 0 || record.getBigUint64(24, true) !== record.getBigUint64(32, true)) throw new ModelError('unsupported', `${file.path}: multi-disk zip archives are not supported`);
    const count64 = u64(file, record, 32, 'entry count');
    const size64 = u64(file, record, 40, 'central directory size');
    const offset64 = u64(file, record, 48, 'central directory offset');
    // Where the classic record holds a real value (not the 0xFFFF… marker) it must agree.
    if ((count !== MAX16 && count !== count64) || (size !== MAX32 && size !== size64) || (offset !== MAX32 && offset !== offset64)) {
      throw corrupt(file, 'the ZIP64 and classic end-of-central-directory records disagree');
    }
    count = count64;
    size = size64;
    offset = offset64;
    directoryEnd = recordPosition;
  } else {
    if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== count) {
      throw new ModelError('unsupported', `${file.path}: multi-disk zip archives are not supported`);
    }
    if (count === MAX16 || size === MAX32 || offset === MAX32) throw corrupt(file, 'ZIP64 values without a ZIP64 end-of-central-directory locator');
  }
  if (offset + size !== directoryEnd) throw corrupt(file, `central directory (${size} bytes at ${offset}) does not end where its end record begins (${directoryEnd})`);
  if (count * CENTRAL_BYTES > size) throw corrupt(file, `${count} entries cannot fit in a ${size}-byte central directory`);
  return { offset, size, count };
}

function readCentralDirectory(file: OpenFile, directory: CentralDirectory): Map<string, ZipEntry> {
  const view = read(file, directory.offset, directory.size);
  const bytes = new Uint8Array(view.buffer);
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let index = 0; index < directory.count; index++) {
    if (at + CENTRAL_BYTES > directory.size || view.getUint32(at, true) !== CENTRAL_SIGNATURE) throw corrupt(file, `central directory entry ${index} is missing or damaged`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let diskStart = view.getUint16(at + 34, true);
    let localOffset = view.getUint32(at + 42, true);
    const variableEnd = at + CENTRAL_BYTES + nameLength + extraLength + commentLength;
    if (variableEnd > directory.size) throw corrupt(file, `central directory entry ${index} runs past the directory`);
    const name = decodeName(file, bytes.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength));

    // ZIP64 extra field: 8-byte values for exactly those header fields that hold 0xFFFFFFFF, in this order.
    const extra = findExtra(view, at + CENTRAL_BYTES + nameLength, extraLength, ZIP64_EXTRA_ID);
    if (extra !== undefined) {
      let cursor = extra.start;
      const take64 = (what: string): number => {
        if (cursor + 8 > extra.end) throw corrupt(file, `"${name}": ZIP64 extra field lacks the ${what}`);
        const value = u64(file, view, cursor, `"${name}" ${what}`);
        cursor += 8;
        return value;
      };
      if (size === MAX32) size = take64('size');
      if (compressedSize === MAX32) compressedSize = take64('compressed size');
      if (localOffset === MAX32) localOffset = take64('local header offset');
      if (diskStart === MAX16) {
        if (cursor + 4 > extra.end) throw corrupt(file, `"${name}": ZIP64 extra field lacks the disk number`);
        diskStart = view.getUint32(cursor, true);
      }
    } else if (size === MAX32 || compressedSize === MAX32 || localOffset === MAX32) {
      throw corrupt(file, `"${name}" has ZIP64 sizes but no ZIP64 extra field`);
    }

    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) throw new ModelError('unsupported', `${file.path}: "${name}" is encrypted`);
    if (diskStart !== 0) throw new ModelError('unsupported', `${file.path}: multi-disk zip archives are not supported`);
    if (method !== 0 && method !== 8) throw new ModelError('unsupported', `${file.path}: "${name}" uses zip compression method ${method}; only stored (0) and deflate (8) are supported`);
    if (method === 0 && compressedSize !== size) throw corrupt(file, `stored entry "${name}" has compressed size ${compressedSize} but size ${size}`);
    if (entries.has(name)) throw corrupt(file, `duplicate entry "${name}"`);

    const dataOffset = locateData(file, name, method, flags, { crc, compressedSize, size }, localOffset, directory.offset);
    if (dataOffset + compressedSize > directory.offset) {
      throw new ModelError('truncated', `${file.path}: "${name}" claims ${compressedSize} bytes at ${dataOffset}, past the end of the entry data (${directory.offset})`);
    }
    entries.set(name, { name, method, compressedSize, size, crc32: crc, dataOffset });
    at = variableEnd;
  }
  if (at !== directory.size) throw corrupt(file, `${directory.size - at} unexplained bytes after the last central directory entry`);
  return entries;
}

/** Reads the local header of an entry and returns where its data begins. */
function locateData(
  file: OpenFile,
  name: string,
  method: number,
  flags: number,
  central: { crc: number; compressedSize: number; size: number },
  localOffset: number,
  directoryOffset: number,
): number {
  if (localOffset + LOCAL_BYTES > directoryOffset) throw corrupt(file, `local header of "${name}" at ${localOffset} is outside the entry data`);
  const header = read(file, localOffset, LOCAL_BYTES);
  if (header.getUint32(0, true) !== LOCAL_SIGNATURE) throw corrupt(file, `no local header for "${name}" at ${localOffset}`);
  const nameLength = header.getUint16(26, true);
  const extraLength = header.getUint16(28, true);
  const variable = read(file, localOffset + LOCAL_BYTES, nameLength + extraLength);
  const localName = decodeName(file, new Uint8Array(variable.buffer, 0, nameLength));
  if (localName !== name) throw corrupt(file, `local header at ${localOffset} names "${localName}" but the central directory says "${name}"`);
  if (header.getUint16(8, true) !== method) throw corrupt(file, `local and central headers of "${name}" disagree on the compression method`);
  // Without a data descriptor the local header repeats CRC and sizes (sizes possibly via ZIP64).
  if (!(flags & FLAG_DATA_DESCRIPTOR)) {
    let localCompressed = header.getUint32(18, true);
    let localSize = header.getUint32(22, true);
    const extra = findExtra(variable, nameLength, extraLength, ZIP64_EXTRA_ID);
    if (extra !== undefined && extra.end - extra.start >= 16) {
      if (localSize === MAX32) localSize = u64(file, variable, extra.start, `"${name}" local size`);
      if (localCompressed === MAX32) localCompressed = u64(file, variable, extra.start + 8, `"${name}" local compressed size`);
    }
    if (header.getUint32(14, true) !== central.crc || localCompressed !== central.compressedSize || localSize !== central.size) {
      throw corrupt(file, `local and central headers of "${name}" disagree on CRC or sizes`);
    }
  }
  return localOffset + LOCAL_BYTES + nameLength + extraLength;
}

/** Extra fields are (id u16, length u16, data) records; returns the data range of `id`. */
function findExtra(view: DataView, start: number, length: number, id: number): { start: number; end: number } | undefined {
  let at = start;
  const end = start + length;
  while (at + 4 <= end) {
    const fieldId = view.getUint16(at, true);
    const fieldLength = view.getUint16(at + 2, true);
    if (at + 4 + fieldLength > end) return undefined;
    if (fieldId === id) return { start: at + 4, end: at + 4 + fieldLength };
    at += 4 + fieldLength;
  }
  return undefined;
}

/**
 * Names must be UTF-8 relative paths without `..`, backslashes or NUL. We never extract, but a
 * name like that only appears in a crafted archive.
 */
function decodeName(file: OpenFile, bytes: Uint8Array): string {
  let name: string;
  try {
    name = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw corrupt(file, 'an entry name is not valid UTF-8');
  }
  const weird =
    name.length === 0 || name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || name.includes('\0') || name.split('/').some((part) => part === '..');
  if (weird) throw corrupt(file, `refusing entry name ${JSON.stringify(name)}`);
  return name;
}

function readEntry(file: OpenFile, entry: ZipEntry, maxBytes: number): Uint8Array {
  if (entry.size > maxBytes) throw new ModelError('corrupt', `${file.path}: "${entry.name}" is ${entry.size} bytes, more than the ${maxBytes} allowed for it`);
  const stored = new Uint8Array(entry.compressedSize);
  readExactly(file, stored, entry.dataOffset);
  let content = stored;
  if (entry.method === 8) {
    try {
      // maxOutputLength stops a deflate bomb at the declared size instead of after the damage.
      content = new Uint8Array(inflateRawSync(stored, { maxOutputLength: Math.max(1, entry.size) }));
    } catch (error) {
      throw new ModelError('corrupt', `${file.path}: "${entry.name}" does not inflate to its declared ${entry.size} bytes (${(error as Error).message})`, { cause: error });
    }
    if (content.length !== entry.size) throw new ModelError('corrupt', `${file.path}: "${entry.name}" inflates to ${content.length} bytes, not the declared ${entry.size}`);
  }
  if (crc32(content) !== entry.crc32) throw new ModelError('corrupt', `${file.path}: "${entry.name}" fails its CRC-32 check`);
  return content;
}

/** CRC-32 (IEEE, reflected, polynomial 0xEDB88320) as zip uses it. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let value = byte;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
