import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSafetensors } from '../../../src/model/weights/safetensors.js';
import { openTorchCheckpoint } from '../../../src/model/weights/torch-checkpoint.js';
import { elementCount } from '../../../src/model/weights/tensor-source.js';
import { layoutZip, PickleWriter, torchCheckpointLayout, torchStateDictPickle, writeSparseZip, zipBytes, type PickledTensor } from './builders.js';
import { expectModelError } from './expect-model-error.js';

const tiny = fileURLToPath(new URL('../../fixtures/timesformer/divided-tiny/', import.meta.url));
const hostile = fileURLToPath(new URL('../../fixtures/hostile/', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'longview-torch-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('openTorchCheckpoint on the golden fixtures', () => {
  it('pytorch_model.bin holds exactly the tensors of model.safetensors', () => {
    const torch = openTorchCheckpoint(join(tiny, 'pytorch_model.bin'));
    const reference = openSafetensors(join(tiny, 'model.safetensors'));
    try {
      expect([...torch.entries.keys()].sort()).toEqual([...reference.entries.keys()].sort());
      expect(torch.skipped).toEqual([]);
      for (const [key, entry] of reference.entries) {
        const loaded = torch.entries.get(key)!;
        expect(loaded.shape, key).toEqual(entry.shape);
        expect(loaded.dtype).toBe('F32');
        expect(loaded.read(), key).toEqual(entry.read());
      }
    } finally {
      torch.close();
      reference.close();
    }
  });

  it('official.pyth keeps its official names, found under "model_state"', () => {
    const torch = openTorchCheckpoint(join(tiny, 'official.pyth'));
    try {
      expect(torch.entries.size).toBe(49);
      expect([...torch.entries.keys()].every((key) => key.startsWith('model.'))).toBe(true);
      expect(torch.entries.get('model.pos_embed')!.shape).toEqual([1, 17, 32]);
    } finally {
      torch.close();
    }
  });
});

describe('openTorchCheckpoint on torch-layout checkpoints from make.py', () => {
  const expected = JSON.parse(readFileSync(`${hostile}torch-like-expected.json`, 'utf8')) as {
    tensors: Record<string, { shape: number[]; values: number[] }>;
    skipped: string[];
  };

  it('reads strided views, offsets, shared storages, half and bfloat16, and skips integer buffers and training state', () => {
    const torch = openTorchCheckpoint(`${hostile}torch-like-training.pt`);
    try {
      expect(torch.skipped).toEqual(expected.skipped);
      expect([...torch.entries.keys()].sort()).toEqual(Object.keys(expected.tensors).sort());
      for (const [key, tensor] of Object.entries(expected.tensors)) {
        const entry = torch.entries.get(key)!;
        expect(entry.shape, key).toEqual(tensor.shape);
        expect(Array.from(entry.read()), key).toEqual(tensor.values.map(Math.fround));
      }
      expect(torch.entries.get('half')!.dtype).toBe('F16');
      expect(torch.entries.get('bfloat16')!.dtype).toBe('BF16');
    } finally {
      torch.close();
    }
  });

  it.each([
    ['torch-like-record-size', 'corrupt', /storage "0" should hold 8 × 4 bytes but its record has 16/],
    ['torch-like-extent', 'corrupt', /tensor "w": reaches storage element 6 but its storage has 4 elements/],
    ['torch-like-missing-record', 'corrupt', /refers to storage "0", which the zip does not have/],
    ['torch-like-build-on-tensor', 'unsafe-pickle', /BUILD .* on a result of torch\._utils\._rebuild_tensor_v2/],
    ['legacy', 'unsupported', /legacy torch\.save format .* re-save it with a current PyTorch/],
  ])('%s is refused', (name, reason, text) => {
    expectModelError(() => openTorchCheckpoint(`${hostile}${name}.pt`).close(), reason, text);
  });
});

describe('openTorchCheckpoint on archives built here', () => {
  const values = Float32Array.from({ length: 12 }, (_, index) => index / 4 - 1);
  const tensors = [
    { name: 'a.weight', shape: [3, 4], values },
    { name: 'a.bias', shape: [2], values: Float32Array.from([7, -7]) },
  ];
  let counter = 0;
  const save = (bytes: Uint8Array): string => {
    const path = join(folder, `checkpoint-${counter++}.pt`);
    writeFileSync(path, bytes);
    return path;
  };

  it.each([
    ['stored', {}],
    ['stored, ZIP64 with data descriptors (torch above 4 GiB)', { zip64: true, dataDescriptor: true }],
  ])('reads %s records under any prefix', (_, options) => {
    const torch = openTorchCheckpoint(save(zipBytes(torchCheckpointLayout('my_model-v2', tensors, options))));
    try {
      expect(Array.from(torch.entries.get('a.weight')!.read())).toEqual(Array.from(values));
      expect(Array.from(torch.entries.get('a.bias')!.read())).toEqual([7, -7]);
    } finally {
      torch.close();
    }
  });

  it('reads no tensor bytes when opening (a 256 MiB tensor costs nothing until read)', () => {
    const path = join(folder, 'huge.pt');
    writeSparseZip(path, torchCheckpointLayout('huge', [{ name: 'w', shape: [64, 1024, 1024], values: { zeros: 256 * 1024 * 1024 } }]));
    const before = process.memoryUsage().arrayBuffers;
    const torch = openTorchCheckpoint(path);
    try {
      expect(torch.entries.get('w')!.shape).toEqual([64, 1024, 1024]);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    } finally {
      torch.close();
    }
  });

  const encoder = new TextEncoder();
  const pickleOf = (storageKey: string): Uint8Array => torchStateDictPickle([{ name: 'w', storageKey, numel: 2, shape: [2] }]);
  const record = (name: string, data: Uint8Array | string) => ({ name, data: typeof data === 'string' ? encoder.encode(data) : data });
  it.each([
    ['no data.pkl', [record('x/data/0', new Uint8Array(8))], 'corrupt', /found 0/],
    ['two data.pkl', [record('x/data.pkl', pickleOf('0')), record('y/data.pkl', pickleOf('0')), record('x/data/0', new Uint8Array(8))], 'corrupt', /found 2/],
    ['a storage key that is a path', [record('x/data.pkl', pickleOf('../0')), record('x/data/0', new Uint8Array(8))], 'corrupt', /bad key/],
    ['a big-endian byte order', [record('x/data.pkl', pickleOf('0')), record('x/byteorder', 'big'), record('x/data/0', new Uint8Array(8))], 'unsupported', /big-endian/],
    ['a top level that is not a dict', [record('x/data.pkl', Uint8Array.from([0x80, 2, 0x5d, 0x2e]))], 'unsupported', /holds a list/],
    ['a dict without tensors', [record('x/data.pkl', Uint8Array.from([0x80, 2, 0x7d, 0x2e]))], 'unsupported', /no state dict/],
  ])('refuses %s', (_, records, reason, text) => {
    const path = save(zipBytes(layoutZip(records)));
    expectModelError(() => openTorchCheckpoint(path).close(), reason as string, text as RegExp);
  });

  it('refuses a file that is neither zip nor legacy torch', () => {
    expectModelError(() => openTorchCheckpoint(save(encoder.encode('hello, this is not a checkpoint'))).close(), 'corrupt', /not a valid zip/);
  });
});

describe('openTorchCheckpoint refuses what torch.save never writes', () => {
  let counter = 0;
  const save = (bytes: Uint8Array): string => {
    const path = join(folder, `hostile-${counter++}.pt`);
    writeFileSync(path, bytes);
    return path;
  };
  const storage = (numel: number) => ({ name: 'x/data/0', data: new Uint8Array(numel * 4) });
  /** A checkpoint of the given tensors over one float storage "0" of `numel` elements. */
  const checkpoint = (tensors: PickledTensor[], numel: number): string =>
    save(zipBytes(layoutZip([{ name: 'x/data.pkl', data: torchStateDictPickle(tensors) }, storage(numel)])));

  // torch.save stores every record; inflating is how 1 MB becomes a 1 GiB storage on every read.
  it.each([
    ['a deflated storage (a tiny tensor over a 4 MiB storage of zeros)', () => save(zipBytes(layoutZip([
      { name: 'x/data.pkl', data: torchStateDictPickle([{ name: 'w', storageKey: '0', numel: 1 << 20, shape: [4] }]) },
      { ...storage(1 << 20), method: 8 },
    ]))), /zip record "x\/data\/0" is compressed \(method 8\)/],
    ['a deflated data.pkl', () => save(zipBytes(torchCheckpointLayout('my_model-v2', [{ name: 'w', shape: [2], values: Float32Array.of(1, 2) }], { method: 8 }))), /zip record "my_model-v2\/data.pkl" is compressed/],
  ])('refuses %s', (_, make, text) => {
    expectModelError(() => openTorchCheckpoint(make()).close(), 'unsupported', text);
  });

  it('refuses a data.pkl over 64 MiB before reading it', () => {
    const path = join(folder, 'big-pickle.pt');
    writeSparseZip(path, layoutZip([{ name: 'x/data.pkl', data: { zeros: 64 * 1024 * 1024 + 1 } }]));
    expectModelError(() => openTorchCheckpoint(path).close(), 'corrupt', /"x\/data.pkl" is 67108865 bytes, more than the 67108864 allowed/);
  });

  /** A state dict {key: _rebuild_tensor_v2(storage "0" of 1 float, <offset>, (1,), (1,), False, {})}. */
  const withOffset = (emitOffset: (pickle: PickleWriter) => void, key = 'w'): string => {
    const pickle = new PickleWriter().op(0x80, 2, 0x7d).text(key).global('torch._utils', '_rebuild_tensor_v2').op(0x28, 0x28);
    pickle.text('storage').global('torch', 'FloatStorage').text('0').text('cpu').int(1).op(0x74, 0x51); // (…) BINPERSID
    emitOffset(pickle);
    pickle.op(0x28).int(1).op(0x74, 0x28).int(1).op(0x74, 0x89, 0x7d, 0x74, 0x52, 0x73, 0x2e); // (1,) (1,) False {} TUPLE REDUCE SETITEM STOP
    return save(zipBytes(layoutZip([{ name: 'x/data.pkl', data: pickle.bytes() }, storage(1)])));
  };
  // Messages describe pickle values, never String() them: that throws a RangeError for these.
  it.each([
    ['a list that shares one child 10^8 times (billion laughs)', () => withOffset((pickle) => {
      pickle.op(0x5d).text('x'.repeat(1000)).op(0x61, 0x71, 0); // ['xxx…'] BINPUT 0
      for (let level = 1; level <= 4; level++) {
        pickle.op(0x30, 0x5d, 0x28); // POP (it stays in the memo), EMPTY_LIST, MARK
        for (let i = 0; i < 100; i++) pickle.op(0x68, level - 1); // BINGET the level below
        pickle.op(0x65, 0x71, level); // APPENDS, BINPUT level
      }
    }), /tensor "w": bad storage offset a list$/],
    ['a list nested 100k deep', () => withOffset((pickle) => {
      pickle.op(0x4e, 0x71, 0); // None BINPUT 0
      for (let i = 0; i < 100_000; i++) pickle.op(0x30, 0x5d, 0x68, 0, 0x61, 0x71, 0); // POP, [memo 0] BINPUT 0
    }), /bad storage offset a list$/],
    ['a 1 MB string', () => withOffset((pickle) => pickle.text('x'.repeat(1 << 20))), /bad storage offset "x{40}…"$/],
    ['a negative number under a 1 MB key', () => withOffset((pickle) => pickle.int(-1), 'k'.repeat(1 << 20)), /tensor "k{200}…": bad storage offset -1$/],
  ])('reports %s as a storage offset briefly', (_, make, text) => {
    const path = make();
    expectModelError(() => openTorchCheckpoint(path).close(), 'corrupt', text);
  });

  // Element counts and extents in checked math: in floating point, [2^31 − 1 × 40, 0] is
  // Infinity × 0 = NaN, which slipped past every check and failed later with a RangeError.
  const big = 2 ** 31 - 1;
  it.each([
    ['an empty shape whose other axes multiply to NaN in floating point', { shape: [...Array<number>(40).fill(big), 0], stride: [...Array<number>(40).fill(0), 10] }, 'corrupt', /tensor "w": shape \(2147483647, .*…\) has more than 2\^53 elements/],
    ['a stride-0 view of 2^93 elements', { shape: [big, big, big], stride: [0, 0, 0] }, 'corrupt', /more than 2\^53 elements/],
    ['a span past 2^53 (exactly, not rounded)', { shape: [big, 2], stride: [big, big] }, 'corrupt', /reaches storage element 4611686014132420609 but its storage has 1 elements/],
    ['too many axes', { shape: Array<number>(65).fill(1), stride: Array<number>(65).fill(1) }, 'unsupported', /65 axes, more than 64/],
  ])('refuses %s', (_, layout, reason, text) => {
    const path = checkpoint([{ name: 'w', storageKey: '0', numel: 1, ...layout }], 1);
    expectModelError(() => openTorchCheckpoint(path).close(), reason, text);
  });

  it('reads an empty tensor as empty, whatever its other axes', () => {
    const torch = openTorchCheckpoint(checkpoint([{ name: 'w', storageKey: '0', numel: 0, shape: [big, 0, 3], stride: [7, 7, 7] }], 0));
    try {
      const entry = torch.entries.get('w')!;
      expect(entry.shape).toEqual([big, 0, 3]);
      expect(elementCount(entry.shape)).toBe(0);
      expect(entry.read()).toEqual(new Float32Array(0));
    } finally {
      torch.close();
    }
  });
});
