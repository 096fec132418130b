/**
 * Test-only writers for the containers our readers parse: ZIP archives (stored, deflate, ZIP64,
 * with or without data descriptors, optionally sparse on disk) and torch-style state-dict pickles.
 * Layouts are returned so that tests can corrupt one field at a known offset.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';

export interface ZipRecord {
  name: string;
  /** Content, or a count of zero bytes that are never materialised (a hole in a sparse file). */
  data: Uint8Array | { zeros: number };
  method?: 0 | 8;
  /** Write the local record but leave it out of the central directory (a hidden record). */
  hidden?: boolean;
  /**
   * Write no local record: the central entry points at this absolute offset, where the test has
   * planted one (e.g. inside another record's data, to make entries overlap).
   */
  localAt?: number;
}

export interface ZipOptions {
  /** Write ZIP64 extra fields and end records, as torch does for big files. */
  zip64?: boolean;
  /** Set flag bit 3 and write sizes after the data, as torch (miniz) does. */
  dataDescriptor?: boolean;
  comment?: string;
  /** Start data descriptors with their (optional) signature; default true. */
  descriptorSignature?: boolean;
}

export interface ZipLayout {
  /** Pieces of the archive at absolute positions; holes between them are zero bytes. */
  chunks: { position: number; bytes: Uint8Array }[];
  size: number;
  /**
   * Per record: offsets of its local header, first data byte and data descriptor (-1 when none;
   * `localAt` records have no data here). `central` lists only the records in the directory.
   */
  local: number[];
  central: number[];
  data: number[];
  descriptor: number[];
  eocd: number;
}

const encoder = new TextEncoder();

function header(size: number, fill: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  fill(new DataView(bytes.buffer));
  return bytes;
}

/** CRC-32 of the stored bytes (zeros for holes: their CRC is never checked by the tests). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function layoutZip(records: readonly ZipRecord[], options: ZipOptions = {}): ZipLayout {
  const chunks: ZipLayout['chunks'] = [];
  const local: number[] = [];
  const data: number[] = [];
  const descriptor: number[] = [];
  const described: { name: Uint8Array; method: number; crc: number; compressed: number; size: number; offset: number }[] = [];
  let position = 0;
  const flags = (options.dataDescriptor ? 0x0008 : 0) | 0x0800;
  const add = (bytes: Uint8Array): void => {
    chunks.push({ position, bytes });
    position += bytes.length;
  };
  for (const record of records) {
    const name = encoder.encode(record.name);
    const method = record.method ?? 0;
    const raw = record.data instanceof Uint8Array ? record.data : undefined;
    const size = raw?.length ?? (record.data as { zeros: number }).zeros;
    const stored = raw !== undefined && method === 8 ? new Uint8Array(deflateRawSync(raw)) : raw;
    const compressed = stored?.length ?? size;
    const crc = raw === undefined ? 0 : crc32(raw);
    if (record.localAt !== undefined) {
      local.push(record.localAt);
      data.push(-1);
      descriptor.push(-1);
      described.push({ name, method, crc, compressed, size, offset: record.localAt });
      continue;
    }
    const sizesInHeader = !options.dataDescriptor;
    const extra = options.zip64 ? header(20, (view) => {
      view.setUint16(0, 0x0001, true);
      view.setUint16(2, 16, true);
      view.setBigUint64(4, BigInt(size), true);
      view.setBigUint64(12, BigInt(compressed), true);
    }) : new Uint8Array(0);
    local.push(position);
    if (!record.hidden) described.push({ name, method, crc, compressed, size, offset: position });
    add(header(30, (view) => {
      view.setUint32(0, 0x04034b50, true);
      view.setUint16(4, options.zip64 ? 45 : 20, true);
      view.setUint16(6, flags, true);
      view.setUint16(8, method, true);
      view.setUint32(14, sizesInHeader ? crc : 0, true);
      view.setUint32(18, !sizesInHeader ? 0 : options.zip64 ? 0xffffffff : compressed, true);
      view.setUint32(22, !sizesInHeader ? 0 : options.zip64 ? 0xffffffff : size, true);
      view.setUint16(26, name.length, true);
      view.setUint16(28, extra.length, true);
    }));
    add(name);
    add(extra);
    data.push(position);
    if (stored !== undefined) add(stored);
    else position += size;
    descriptor.push(options.dataDescriptor ? position : -1);
    if (options.dataDescriptor) {
      // Sizes are 8 bytes each when the local header has a ZIP64 field (APPNOTE 4.3.9), as torch writes them.
      const signature = options.descriptorSignature === false ? 0 : 4;
      add(header(signature + (options.zip64 ? 20 : 12), (view) => {
        if (signature) view.setUint32(0, 0x08074b50, true);
        view.setUint32(signature, crc, true);
        if (options.zip64) {
          view.setBigUint64(signature + 4, BigInt(compressed), true);
          view.setBigUint64(signature + 12, BigInt(size), true);
        } else {
          view.setUint32(signature + 4, compressed, true);
          view.setUint32(signature + 8, size, true);
        }
      }));
    }
  }

  const directoryOffset = position;
  const central: number[] = [];
  for (const entry of described) {
    central.push(position);
    const extra = options.zip64 ? header(28, (view) => {
      view.setUint16(0, 0x0001, true);
      view.setUint16(2, 24, true);
      view.setBigUint64(4, BigInt(entry.size), true);
      view.setBigUint64(12, BigInt(entry.compressed), true);
      view.setBigUint64(20, BigInt(entry.offset), true);
    }) : new Uint8Array(0);
    add(header(46, (view) => {
      view.setUint32(0, 0x02014b50, true);
      view.setUint16(4, 0x031e, true);
      view.setUint16(6, options.zip64 ? 45 : 20, true);
      view.setUint16(8, flags, true);
      view.setUint16(10, entry.method, true);
      view.setUint32(16, entry.crc, true);
      view.setUint32(20, options.zip64 ? 0xffffffff : entry.compressed, true);
      view.setUint32(24, options.zip64 ? 0xffffffff : entry.size, true);
      view.setUint16(28, entry.name.length, true);
      view.setUint16(30, extra.length, true);
      view.setUint32(42, options.zip64 ? 0xffffffff : entry.offset, true);
    }));
    add(entry.name);
    add(extra);
  }
  const directorySize = position - directoryOffset;
  if (options.zip64) {
    const record = position;
    add(header(56, (view) => {
      view.setUint32(0, 0x06064b50, true);
      view.setBigUint64(4, 44n, true);
      view.setUint16(12, 0x031e, true);
      view.setUint16(14, 45, true);
      view.setBigUint64(24, BigInt(described.length), true);
      view.setBigUint64(32, BigInt(described.length), true);
      view.setBigUint64(40, BigInt(directorySize), true);
      view.setBigUint64(48, BigInt(directoryOffset), true);
    }));
    add(header(20, (view) => {
      view.setUint32(0, 0x07064b50, true);
      view.setBigUint64(8, BigInt(record), true);
      view.setUint32(16, 1, true);
    }));
  }
  const comment = encoder.encode(options.comment ?? '');
  const eocd = position;
  add(header(22, (view) => {
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, options.zip64 ? 0xffff : described.length, true);
    view.setUint16(10, options.zip64 ? 0xffff : described.length, true);
    view.setUint32(12, options.zip64 ? 0xffffffff : directorySize, true);
    view.setUint32(16, options.zip64 ? 0xffffffff : directoryOffset, true);
    view.setUint16(20, comment.length, true);
  }));
  add(comment);
  return { chunks, size: position, local, central, data, descriptor, eocd };
}

/** The archive as one buffer (holes become zeros). */
export function zipBytes(layout: ZipLayout): Uint8Array {
  const bytes = new Uint8Array(layout.size);
  for (const chunk of layout.chunks) bytes.set(chunk.bytes, chunk.position);
  return bytes;
}

/** Writes the archive with holes left unwritten, so a "huge" record costs no disk or memory. */
export function writeSparseZip(path: string, layout: ZipLayout): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, layout.size);
    for (const chunk of layout.chunks) writeSync(fd, chunk.bytes, 0, chunk.bytes.length, chunk.position);
  } finally {
    closeSync(fd);
  }
}

export interface PickledTensor {
  name: string;
  storageKey: string;
  storageClass?: string;
  /** Elements in the storage. */
  numel: number;
  offset?: number;
  shape: number[];
  stride?: number[];
}

/** A protocol-2 OrderedDict state dict laid out exactly like torch.save writes it (no memo). */
export function torchStateDictPickle(tensors: readonly PickledTensor[]): Uint8Array {
  const parts: number[] = [0x80, 2];
  const bytes = (...values: number[]): void => void parts.push(...values);
  const text = (value: string): void => {
    const encoded = encoder.encode(value);
    bytes(0x58, ...u32(encoded.length), ...encoded); // BINUNICODE
  };
  const global = (module: string, name: string): void => void parts.push(0x63, ...encoder.encode(`${module}\n${name}\n`));
  const integer = (value: number): void => bytes(0x4a, ...u32(value)); // BININT
  const tuple = (values: readonly number[]): void => {
    bytes(0x28);
    values.forEach(integer);
    bytes(0x74);
  };
  const orderedDict = (): void => {
    global('collections', 'OrderedDict');
    bytes(0x29, 0x52); // EMPTY_TUPLE REDUCE
  };
  orderedDict();
  for (const tensor of tensors) {
    text(tensor.name);
    global('torch._utils', '_rebuild_tensor_v2');
    bytes(0x28, 0x28); // MARK (arguments) MARK (persistent id)
    text('storage');
    const [module, name] = (tensor.storageClass ?? 'torch.FloatStorage').split('.') as [string, string];
    global(module, name);
    text(tensor.storageKey);
    text('cpu');
    integer(tensor.numel);
    bytes(0x74, 0x51); // TUPLE BINPERSID
    integer(tensor.offset ?? 0);
    tuple(tensor.shape);
    tuple(tensor.stride ?? rowMajorStride(tensor.shape));
    bytes(0x89); // NEWFALSE
    orderedDict();
    bytes(0x74, 0x52, 0x73); // TUPLE REDUCE SETITEM
  }
  bytes(0x2e);
  return Uint8Array.from(parts);
}

/** Assembles a pickle opcode by opcode, for hostile inputs torchStateDictPickle cannot express. */
export class PickleWriter {
  private readonly parts: number[] = [];
  /** Raw opcode and argument bytes. */
  op(...values: number[]): this {
    for (const value of values) this.parts.push(value);
    return this;
  }
  /** BINUNICODE */
  text(value: string): this {
    const encoded = encoder.encode(value);
    this.op(0x58, ...u32(encoded.length));
    for (const byte of encoded) this.parts.push(byte);
    return this;
  }
  /** BININT (signed 32-bit) */
  int(value: number): this {
    return this.op(0x4a, ...u32(value));
  }
  /** GLOBAL */
  global(module: string, name: string): this {
    return this.op(0x63, ...encoder.encode(`${module}\n${name}\n`));
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

export function rowMajorStride(shape: readonly number[]): number[] {
  const stride = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) stride[axis] = stride[axis + 1]! * shape[axis + 1]!;
  return stride;
}

/** A torch-style zip checkpoint holding float32 tensors, one storage each. */
export function torchCheckpointLayout(stem: string, tensors: readonly { name: string; shape: number[]; values: Float32Array | { zeros: number } }[], options: ZipOptions & { method?: 0 | 8 } = {}): ZipLayout {
  const pickled = tensors.map((tensor, index) => ({
    name: tensor.name,
    storageKey: String(index),
    numel: tensor.values instanceof Float32Array ? tensor.values.length : tensor.values.zeros / 4,
    shape: tensor.shape,
  }));
  const records: ZipRecord[] = [{ name: `${stem}/data.pkl`, data: torchStateDictPickle(pickled), method: options.method ?? 0 }];
  tensors.forEach((tensor, index) => {
    const values = tensor.values;
    records.push({
      name: `${stem}/data/${index}`,
      data: values instanceof Float32Array ? new Uint8Array(values.buffer, values.byteOffset, values.byteLength) : values,
      method: options.method ?? 0,
    });
  });
  records.push({ name: `${stem}/version`, data: encoder.encode('3\n') });
  return layoutZip(records, options);
}
