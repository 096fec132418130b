/**
 * torch.save zip checkpoints (PyTorch ≥ 1.6): `<stem>/data.pkl` holds the pickled object tree and
 * `<stem>/data/<key>` the raw little-endian storages it refers to by persistent id.
 *
 * The pickle runs in our VM with an allow-list of exactly the globals torch writes for tensors;
 * `_rebuild_tensor_v2(storage, offset, size, stride, …)` calls become lazy TensorEntries whose
 * extent is checked (in exact integer math) against the storage record before anything is read.
 * torch.save stores every record uncompressed; compressed records are refused, never inflated.
 */
import { ModelError } from '../../shared/errors.js';
import { closeFile, openForReading, readExactly, readFloat32 } from './file-reading.js';
import { clip, describe, PersistentObject, PickleCall, PickleDict, PickleGlobal, PickleTuple, preview, unpickle, type PickleValue } from './pickle.js';
import type { StoredDType, TensorEntry, TensorSource } from './tensor-source.js';
import { readZip, type ZipArchive, type ZipEntry } from './zip.js';

const REBUILD_TENSOR = 'torch._utils._rebuild_tensor_v2';
const REBUILD_PARAMETER = 'torch._utils._rebuild_parameter';

/** Storage class → element type. Only the float kinds hold model weights. */
const STORAGE_TYPES: Record<string, { dtype: StoredDType | undefined; bytes: number }> = {
  'torch.FloatStorage': { dtype: 'F32', bytes: 4 },
  'torch.HalfStorage': { dtype: 'F16', bytes: 2 },
  'torch.BFloat16Storage': { dtype: 'BF16', bytes: 2 },
  'torch.DoubleStorage': { dtype: undefined, bytes: 8 },
  'torch.LongStorage': { dtype: undefined, bytes: 8 },
  'torch.IntStorage': { dtype: undefined, bytes: 4 },
  'torch.ShortStorage': { dtype: undefined, bytes: 2 },
  'torch.CharStorage': { dtype: undefined, bytes: 1 },
  'torch.ByteStorage': { dtype: undefined, bytes: 1 },
  'torch.BoolStorage': { dtype: undefined, bytes: 1 },
};

/** Everything a state-dict checkpoint may name; see the fixtures README ("torch.save checkpoints"). */
export const TORCH_ALLOWED_GLOBALS: ReadonlySet<string> = new Set(['collections.OrderedDict', REBUILD_TENSOR, REBUILD_PARAMETER, ...Object.keys(STORAGE_TYPES)]);

/** Top-level keys under which training checkpoints keep the model's state dict, most likely first. */
const STATE_DICT_KEYS = ['model_state', 'state_dict', 'model', 'module'];

/**
 * data.pkl of a TimeSformer-L is well under 1 MB (a few MB with optimizer state); anything near
 * this is not a checkpoint. It is also what bounds the pickle VM's opcode count (one per byte at most).
 */
const MAX_PICKLE_BYTES = 64 * 1024 * 1024;
/** torch names storages "0", "1", …; a longer key is only seen in crafted files (and in our messages). */
const MAX_STORAGE_KEY_LENGTH = 64;
/** torch tensors have a handful of axes; more is only seen in crafted files and costs work per axis. */
const MAX_RANK = 64;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A storage as named by a persistent id `('storage', <class>, key, location, numel)`. */
export class StorageReference {
  constructor(
    readonly storageClass: string,
    readonly key: string,
    /** Elements, not bytes. */
    readonly numel: number,
  ) {}
}

export interface TorchCheckpoint extends TensorSource {
  /** State-dict keys left out of `entries`: integer/bool/double tensors (e.g. num_batches_tracked) and non-tensors. */
  readonly skipped: readonly string[];
}

/** Unpickles a torch data.pkl with the torch allow-list; persistent ids become StorageReferences. */
export function readTorchPickle(bytes: Uint8Array, origin: string): PickleValue {
  const storages = new Map<string, StorageReference>();
  return unpickle(bytes, {
    allowedGlobals: TORCH_ALLOWED_GLOBALS,
    origin,
    persistentLoad: (id) => {
      const reference = parseStorageId(id, origin);
      const known = storages.get(reference.key);
      if (known === undefined) storages.set(reference.key, reference);
      else if (known.storageClass !== reference.storageClass || known.numel !== reference.numel) {
        throw new ModelError('corrupt', `${origin}: storage "${reference.key}" is named twice with different types or sizes`);
      }
      return known ?? reference;
    },
  });
}

function parseStorageId(id: PickleValue, origin: string): StorageReference {
  const items = id instanceof PickleTuple ? id.items : [];
  const [tag, storageClass, key, , numel] = items;
  if (items.length !== 5 || tag !== 'storage' || !(storageClass instanceof PickleGlobal) || typeof key !== 'string' || typeof numel !== 'number') {
    throw new ModelError('corrupt', `${origin}: persistent id is not ('storage', <storage class>, key, location, numel)`);
  }
  if (STORAGE_TYPES[storageClass.qualifiedName] === undefined) {
    throw new ModelError('unsupported', `${origin}: ${storageClass.qualifiedName} is not a storage class`);
  }
  if (key.length > MAX_STORAGE_KEY_LENGTH || !/^[A-Za-z0-9_]+$/.test(key) || !Number.isSafeInteger(numel) || numel < 0) {
    throw new ModelError('corrupt', `${origin}: storage id has a bad key ${preview(key)} or size ${numel}`);
  }
  return new StorageReference(storageClass.qualifiedName, key, numel);
}

/** True when the file starts like a pre-1.6 (non-zip) torch.save: a bare pickle, PROTO 2. */
export function looksLikeLegacyTorch(head: Uint8Array): boolean {
  return head[0] === 0x80 && head[1] !== undefined && head[1] <= 5;
}

export function openTorchCheckpoint(path: string): TorchCheckpoint {
  const file = openForReading(path);
  let archive: ZipArchive;
  try {
    const head = new Uint8Array(Math.min(2, file.size));
    readExactly(file, head, 0);
    if (looksLikeLegacyTorch(head)) throw legacyFormat(path);
    archive = readZip(file);
  } catch (error) {
    closeFile(file);
    throw error;
  }
  try {
    return readArchive(path, archive);
  } catch (error) {
    archive.close();
    throw error;
  }
}

export function legacyFormat(path: string): ModelError {
  return new ModelError(
    'unsupported',
    `${path}: legacy torch.save format (PyTorch < 1.6, not a zip archive) is not supported; re-save it with a current PyTorch: torch.save(torch.load(path), path)`,
  );
}

function readArchive(path: string, archive: ZipArchive): TorchCheckpoint {
  // torch.save stores every record (method 0). A compressed one was written by something else,
  // and inflating it is how a 260 KB file becomes gigabytes of data.pkl or storage: refuse it.
  for (const entry of archive.entries.values()) {
    if (entry.method !== 0) {
      throw new ModelError('unsupported', `${path}: zip record "${clip(entry.name)}" is compressed (method ${entry.method}); torch.save stores every record uncompressed, so only stored records are read`);
    }
  }
  const pickles = [...archive.entries.keys()].filter((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (pickles.length !== 1) throw new ModelError('corrupt', `${path}: expected one <name>/data.pkl record in the zip, found ${pickles.length}`);
  const prefix = pickles[0]!.slice(0, -'/data.pkl'.length);
  const byteOrder = archive.entries.get(`${prefix}/byteorder`);
  if (byteOrder !== undefined && new TextDecoder().decode(archive.read(byteOrder, 16)) !== 'little') {
    throw new ModelError('unsupported', `${path}: big-endian torch checkpoints are not supported`);
  }

  const root = readTorchPickle(archive.read(archive.entries.get(pickles[0]!)!, MAX_PICKLE_BYTES), `${path} (${pickles[0]})`);
  const stateDict = findStateDict(root, path);
  const entries = new Map<string, TensorEntry>();
  const skipped: string[] = [];
  for (const [key, value] of stateDict) {
    if (typeof key !== 'string') throw new ModelError('corrupt', `${path}: state dict has a ${describe(key)} key`);
    const tensor = asTensor(value, key, path);
    if (tensor === undefined) {
      skipped.push(key);
      continue;
    }
    // Keys come from the file and may be megabytes long: messages show the start.
    const name = clip(key);
    const record = archive.entries.get(`${prefix}/data/${tensor.storage.key}`);
    if (record === undefined) throw new ModelError('corrupt', `${path}: tensor "${name}" refers to storage "${tensor.storage.key}", which the zip does not have`);
    const type = STORAGE_TYPES[tensor.storage.storageClass]!;
    if (record.size !== tensor.storage.numel * type.bytes) {
      throw new ModelError('corrupt', `${path}: storage "${tensor.storage.key}" should hold ${tensor.storage.numel} × ${type.bytes} bytes but its record has ${record.size}`);
    }
    if (type.dtype === undefined) {
      skipped.push(key);
      continue;
    }
    entries.set(key, lazyTensor(archive, record, key, type.dtype, tensor));
  }
  return { entries, skipped, close: () => archive.close() };
}

/** The state dict is the top-level dict itself, or sits under one of STATE_DICT_KEYS. */
function findStateDict(root: PickleValue, path: string): PickleDict {
  if (!(root instanceof PickleDict)) throw new ModelError('unsupported', `${path}: the checkpoint holds a ${describe(root)}, not a state dict`);
  for (const key of STATE_DICT_KEYS) {
    const value = root.get(key);
    if (value instanceof PickleDict && [...value.values()].some(isTensorCall)) return value;
  }
  if ([...root.values()].some(isTensorCall)) return root;
  throw new ModelError('unsupported', `${path}: no state dict found (no tensors at the top level or under ${STATE_DICT_KEYS.join(', ')})`);
}

function isTensorCall(value: PickleValue): boolean {
  return value instanceof PickleCall && (value.callee.qualifiedName === REBUILD_TENSOR || value.callee.qualifiedName === REBUILD_PARAMETER);
}

interface TensorLayout {
  storage: StorageReference;
  /** Elements. */
  offset: number;
  shape: number[];
  /** Elements per step along each axis. */
  stride: number[];
  /** Elements of the tensor (0 when any axis is 0). */
  count: number;
  /** Storage elements from `offset` to the last one the tensor touches, inclusive (0 when empty). */
  span: number;
}

/** `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`, checked; undefined for non-tensors. */
function asTensor(value: PickleValue, key: string, path: string): TensorLayout | undefined {
  if (!(value instanceof PickleCall)) return undefined;
  const bad = (what: string): ModelError => new ModelError('corrupt', `${path}: tensor "${clip(key)}": ${what}`);
  if (value.callee.qualifiedName === REBUILD_PARAMETER) {
    // _rebuild_parameter(data, requires_grad, hooks): the tensor is the first argument.
    const data = value.args[0];
    if (data === undefined || !isTensorCall(data) || (data as PickleCall).callee.qualifiedName !== REBUILD_TENSOR) throw bad('parameter does not wrap a tensor');
    return asTensor(data, key, path);
  }
  if (value.callee.qualifiedName !== REBUILD_TENSOR) return undefined;
  const [storage, offset, size, stride] = value.args;
  if (value.args.length < 4 || !(storage instanceof PersistentObject) || !(storage.value instanceof StorageReference)) throw bad('first argument is not a storage');
  // preview(), never String(): the "offset" may be a list that expands to gigabytes of text.
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw bad(`bad storage offset ${preview(offset)}`);
  const shape = integerTuple(size);
  const strides = integerTuple(stride);
  if (shape === undefined || strides === undefined || shape.length !== strides.length) throw bad('size and stride are not integer tuples of one length');
  if (shape.length > MAX_RANK) throw new ModelError('unsupported', `${path}: tensor "${clip(key)}" has ${shape.length} axes, more than ${MAX_RANK}`);
  const numel = storage.value.numel;

  // Counts and extents in BigInt: in floating point [2^31 × 40 axes, 0] is Infinity × 0 = NaN,
  // which every later comparison lets through. The product of the non-zero axes must be exact
  // even for an empty tensor, so that whoever multiplies the shape out later gets exactly 0.
  let product = 1n;
  let empty = false;
  for (const axisSize of shape) {
    if (axisSize === 0) empty = true;
    else product *= BigInt(axisSize);
    if (product > MAX_SAFE) throw bad(`shape (${clip(shape.join(', '), 100)}) has more than 2^53 elements`);
  }
  // An empty tensor reads nothing, so its offset and strides point nowhere that matters (torch
  // does not check them either).
  if (empty) return { storage: storage.value, offset, shape, stride: strides, count: 0, span: 0 };

  // Last element touched: offset + Σ (size_i − 1)·stride_i; it must lie inside the storage.
  let span = 1n;
  shape.forEach((axisSize, axis) => (span += BigInt(axisSize - 1) * BigInt(strides[axis]!)));
  const last = BigInt(offset) + span - 1n;
  if (last >= BigInt(numel)) throw bad(`reaches storage element ${last} but its storage has ${numel} elements`);
  // Only views that repeat elements (stride 0) can hold more elements than their storage.
  if (product > BigInt(numel)) throw new ModelError('unsupported', `${path}: tensor "${clip(key)}" repeats storage elements (a stride-0 view)`);
  // Both now fit in the storage, whose size is a safe integer: plain numbers are exact from here on.
  return { storage: storage.value, offset, shape, stride: strides, count: Number(product), span: Number(span) };
}

function integerTuple(value: PickleValue | undefined): number[] | undefined {
  if (!(value instanceof PickleTuple)) return undefined;
  const items = value.items;
  return items.every((item) => typeof item === 'number' && Number.isSafeInteger(item) && item >= 0) ? (items as number[]) : undefined;
}

function isRowMajor(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    // Axes of size 1 may carry any stride (torch leaves them as they were).
    if (shape[axis] !== 1 && stride[axis] !== expected) return false;
    expected *= shape[axis]!;
  }
  return true;
}

function lazyTensor(archive: ZipArchive, record: ZipEntry, name: string, dtype: StoredDType, layout: TensorLayout): TensorEntry {
  const elementBytes = dtype === 'F32' ? 4 : 2;
  const contiguous = isRowMajor(layout.shape, layout.stride);
  // Records are stored (readArchive refuses compressed ones), so any slice is a positional read;
  // asTensor checked that [offset, offset + span) lies inside the record.
  const readStorage = (first: number, length: number): Float32Array => readFloat32(archive.file, record.dataOffset + first * elementBytes, length, dtype);
  return {
    name,
    dtype,
    shape: layout.shape,
    read: () => {
      if (layout.count === 0) return new Float32Array(0);
      if (contiguous) return readStorage(layout.offset, layout.count);
      // Strided view: read the span it touches, then gather in row-major order.
      return gather(readStorage(layout.offset, layout.span), layout.shape, layout.stride, layout.count);
    },
  };
}

function gather(span: Float32Array, shape: readonly number[], stride: readonly number[], count: number): Float32Array {
  const result = new Float32Array(count);
  const index = new Array<number>(shape.length).fill(0);
  let source = 0;
  for (let i = 0; i < count; i++) {
    result[i] = span[source]!;
    // Odometer increment over the axes, last axis fastest.
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis]!++;
      source += stride[axis]!;
      if (index[axis]! < shape[axis]!) break;
      source -= index[axis]! * stride[axis]!;
      index[axis] = 0;
    }
  }
  return result;
}
