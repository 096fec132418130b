import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSafetensors } from '../../../src/model/weights/safetensors.js';
import { openTorchCheckpoint } from '../../../src/model/weights/torch-checkpoint.js';
import { layoutZip, torchCheckpointLayout, torchStateDictPickle, writeSparseZip, zipBytes } from './builders.js';
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
    ['deflated', { method: 8 as const }],
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
