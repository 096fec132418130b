/**
 * A minimal, strict ZIP reader for torch.save archives.
 *
 * Only the central directory is read up front; entry data is read on demand with positional
 * reads, so a 490 MB checkpoint is never pulled into memory as a whole. Every offset and size is
 * checked against the file before it is used. ZIP64 (which torch writes for every archive, and
 * needs for files above 4 GiB) is supported; encryption, multi-disk archives and compression
 * methods other than stored (0) and deflate (8) are refused. (Deflate is parsed here, but the
 * torch reader refuses it: torch.save stores every record, and inflating is a bomb risk.)
 *
 * Scanners and loaders that read the same zip differently are how malicious pickles slip past
 * checks (picklescan's flag-bit and local-header differentials). So besides the central
 * directory we insist that the local headers say the same thing (name, method, flags, CRC,
 * sizes, data descriptor), and that the entries tile the bytes before the central directory
 * exactly: no overlaps (two names over one set of bytes) and no gaps (where a record no central
 * entry names could hide). torch.save archives satisfy all of this.
 */
import { inflateRawSync } from 'node:zlib';
import { ModelError } from '../../shared/errors.js';
import { closeFile, openForReading, readExactly, type OpenFile } from './file-reading.js';
import { crc32 } from '../../files/crc32.js';

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
const DESCRIPTOR_SIGNATURE = 0x08074b50;
/**
 * A torch checkpoint has one record per storage plus a few (a ViT-L: ~500); 100k is far beyond
 * any real one and keeps a hostile directory from costing seconds and megabytes of bookkeeping.
 */
const MAX_ENTRIES = 100_000;
/** 100k entries with generous names fit many times over; the directory is read in one piece. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

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
  if (count > MAX_ENTRIES) throw new ModelError('unsupported', `${file.path}: ${count} zip entries is more than the ${MAX_ENTRIES} a checkpoint may have`);
  if (count * CENTRAL_BYTES > size) throw corrupt(file, `${count} entries cannot fit in a ${size}-byte central directory`);
  if (size > MAX_DIRECTORY_BYTES) throw new ModelError('unsupported', `${file.path}: a ${size}-byte zip central directory is more than the ${MAX_DIRECTORY_BYTES} bytes a checkpoint may have`);
  return { offset, size, count };
}

function readCentralDirectory(file: OpenFile, directory: CentralDirectory): Map<string, ZipEntry> {
  const view = read(file, directory.offset, directory.size);
  const bytes = new Uint8Array(view.buffer);
  const entries = new Map<string, ZipEntry>();
  /** Bytes each entry owns: [local header, end of data or data descriptor). */
  const spans: { name: string; start: number; end: number }[] = [];
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

    const { dataOffset, end } = locateData(file, name, method, flags, { crc, compressedSize, size }, localOffset, directory.offset);
    entries.set(name, { name, method, compressedSize, size, crc32: crc, dataOffset });
    spans.push({ name, start: localOffset, end });
    at = variableEnd;
  }
  if (at !== directory.size) throw corrupt(file, `${directory.size - at} unexplained bytes after the last central directory entry`);
  checkTiling(file, spans, directory.offset);
  return entries;
}

/**
 * The entries, sorted by position, must cover [0, central directory) exactly. An overlap lets two
 * names share bytes (one record hidden inside another's data); a gap can hold a local record that
 * no central entry names, which a scanner walking local headers would see and we would not.
 */
function checkTiling(file: OpenFile, spans: { name: string; start: number; end: number }[], directoryOffset: number): void {
  spans.sort((a, b) => a.start - b.start);
  let expected = 0;
  let previous: string | undefined;
  for (const span of spans) {
    if (span.start < expected) throw corrupt(file, `"${span.name}" at ${span.start} overlaps "${previous}", which ends at ${expected}`);
    if (span.start > expected) throw corrupt(file, `${span.start - expected} bytes at ${expected} belong to no entry of the central directory`);
    expected = span.end;
    previous = span.name;
  }
  if (expected !== directoryOffset) throw corrupt(file, `${directoryOffset - expected} bytes at ${expected} before the central directory belong to no entry`);
}

/**
 * Reads the local header of an entry, checks it against the central one, and returns where the
 * entry's data begins and where the entry (data plus any data descriptor) ends.
 */
function locateData(
  file: OpenFile,
  name: string,
  method: number,
  flags: number,
  central: { crc: number; compressedSize: number; size: number },
  localOffset: number,
  directoryOffset: number,
): { dataOffset: number; end: number } {
  if (localOffset + LOCAL_BYTES > directoryOffset) throw corrupt(file, `local header of "${name}" at ${localOffset} is outside the entry data`);
  const header = read(file, localOffset, LOCAL_BYTES);
  if (header.getUint32(0, true) !== LOCAL_SIGNATURE) throw corrupt(file, `no local header for "${name}" at ${localOffset}`);
  const nameLength = header.getUint16(26, true);
  const extraLength = header.getUint16(28, true);
  if (localOffset + LOCAL_BYTES + nameLength + extraLength > directoryOffset) throw corrupt(file, `local header of "${name}" at ${localOffset} runs into the central directory`);
  const variable = read(file, localOffset + LOCAL_BYTES, nameLength + extraLength);
  const localName = decodeName(file, new Uint8Array(variable.buffer, 0, nameLength));
  if (localName !== name) throw corrupt(file, `local header at ${localOffset} names "${localName}" but the central directory says "${name}"`);
  if (header.getUint16(8, true) !== method) throw corrupt(file, `local and central headers of "${name}" disagree on the compression method`);
  // A reader that trusts the local flags would see an encrypted entry, or look for a data
  // descriptor, where we do not: any difference is a parser differential, so none is allowed.
  const localFlags = header.getUint16(6, true);
  if (localFlags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) throw new ModelError('unsupported', `${file.path}: "${name}" is encrypted (local header)`);
  if (localFlags !== flags) throw corrupt(file, `local and central headers of "${name}" disagree on the flags (0x${localFlags.toString(16)} and 0x${flags.toString(16)})`);

  const dataOffset = localOffset + LOCAL_BYTES + nameLength + extraLength;
  const dataEnd = dataOffset + central.compressedSize;
  if (dataEnd > directoryOffset) {
    throw new ModelError('truncated', `${file.path}: "${name}" claims ${central.compressedSize} bytes at ${dataOffset}, past the end of the entry data (${directoryOffset})`);
  }

  // The local header repeats CRC and sizes (sizes possibly via ZIP64). With a data descriptor
  // the writer may leave them zero (torch/miniz and streaming writers do) and write them after
  // the data instead.
  const localCrc = header.getUint32(14, true);
  let localCompressed = header.getUint32(18, true);
  let localSize = header.getUint32(22, true);
  const zip64 = findExtra(variable, nameLength, extraLength, ZIP64_EXTRA_ID);
  if (zip64 !== undefined && zip64.end - zip64.start >= 16) {
    if (localSize === MAX32) localSize = u64(file, variable, zip64.start, `"${name}" local size`);
    if (localCompressed === MAX32) localCompressed = u64(file, variable, zip64.start + 8, `"${name}" local compressed size`);
  }
  const matches = localCrc === central.crc && localCompressed === central.compressedSize && localSize === central.size;
  if (!(flags & FLAG_DATA_DESCRIPTOR)) {
    if (!matches) throw corrupt(file, `local and central headers of "${name}" disagree on CRC or sizes`);
    return { dataOffset, end: dataEnd };
  }
  const zeroed = localCrc === 0 && header.getUint32(18, true) === 0 && header.getUint32(22, true) === 0;
  if (!matches && !zeroed) throw corrupt(file, `local and central headers of "${name}" disagree on CRC or sizes`);
  const descriptorBytes = readDescriptor(file, name, central, dataEnd, directoryOffset, zip64 !== undefined);
  return { dataOffset, end: dataEnd + descriptorBytes };
}

/**
 * The data descriptor after an entry's data: an optional signature, the CRC, then compressed and
 * uncompressed sizes, 8 bytes each when the local header has a ZIP64 field (APPNOTE 4.3.9; torch
 * and Python write it so), else 4. It must repeat the central directory's values. Returns its
 * length, so that the entry's extent (and thus the tiling check) includes it.
 */
function readDescriptor(
  file: OpenFile,
  name: string,
  central: { crc: number; compressedSize: number; size: number },
  position: number,
  directoryOffset: number,
  zip64: boolean,
): number {
  const sizeBytes = zip64 ? 8 : 4;
  const available = Math.min(4 + 4 + 2 * sizeBytes, directoryOffset - position);
  const view = read(file, position, available);
  const sizeIs = (at: number, expected: number): boolean => (zip64 ? view.getBigUint64(at, true) === BigInt(expected) : view.getUint32(at, true) === expected);
  // The signature is optional, so a CRC could look like one: try both readings.
  for (const start of [4, 0]) {
    const length = start + 4 + 2 * sizeBytes;
    if (length > available || (start === 4 && view.getUint32(0, true) !== DESCRIPTOR_SIGNATURE)) continue;
    if (view.getUint32(start, true) === central.crc && sizeIs(start + 4, central.compressedSize) && sizeIs(start + 4 + sizeBytes, central.size)) return length;
  }
  throw corrupt(file, `the data descriptor after "${name}" is missing or disagrees with the central directory`);
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
