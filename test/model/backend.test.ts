/**
 * Backend choice and start-up. The native tfjs-node packages cannot be installed here, so the
 * real loader is tested for "not installed" and the GPU/CPU logic through a fake loader.
 * One process (vitest's fork) runs these in order, switching tfjs' global backend as it goes.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeBackend,
  initBackend,
  isBackendName,
  shutdownBackend,
  type BackendReport,
  type NativeLoadResult,
  type NativePackageName,
} from '../../src/model/backend.js';
import { LongviewError } from '../../src/shared/errors.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

afterAll(() => {
  shutdownBackend();
});

/** A deterministic 256×256 float32 matrix. */
function matrix(seed: number): Float32Array {
  const values = new Float32Array(256 * 256);
  let state = seed;
  for (let index = 0; index < values.length; index++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    values[index] = state / 2 ** 32 - 0.5;
  }
  return values;
}

async function matMulOnCurrentBackend(a: Float32Array, b: Float32Array): Promise<Float32Array> {
  const left = tf.tensor2d(a, [256, 256]);
  const right = tf.tensor2d(b, [256, 256]);
  const product = tf.matMul(left, right);
  const data = (await product.data()) as Float32Array;
  tf.dispose([left, right, product]);
  return data;
}

async function expectUnavailable(promise: Promise<unknown>): Promise<LongviewError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LongviewError);
  const longviewError = error as LongviewError;
  expect(longviewError.kind).toBe('backend');
  expect(longviewError.reason).toBe('unavailable');
  return longviewError;
}

describe('forced backends', () => {
  it('starts cpu', async () => {
    const report = await initBackend({ backend: 'cpu' });
    expect(report).toMatchObject({ name: 'cpu', tfBackend: 'cpu', threads: 1, skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(await tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).data())).toEqual([4, 6]);
  });

  it('starts wasm with SIMD and 2 threads, and puts every patched global back', async () => {
    const before = {
      cpus: os.cpus().length,
      createObjectURL: URL.createObjectURL,
      postMessage: Worker.prototype.postMessage,
      workerGlobal: Object.getOwnPropertyDescriptor(globalThis, 'Worker'),
      uncaughtException: process.listenerCount('uncaughtException'),
      unhandledRejection: process.listenerCount('unhandledRejection'),
    };
    const report = await initBackend({ backend: 'wasm', threads: 2 });
    expect(report).toMatchObject({ name: 'wasm', tfBackend: 'wasm', simd: true, threads: 2, skipped: [] });
    expect(report.notes).toBeUndefined();
    expect(tf.getBackend()).toBe('wasm');

    expect(os.cpus().length).toBe(before.cpus);
    expect(URL.createObjectURL).toBe(before.createObjectURL);
    expect(Worker.prototype.postMessage).toBe(before.postMessage);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Worker')).toEqual(before.workerGlobal);
    expect(process.listenerCount('uncaughtException')).toBe(before.uncaughtException);
    expect(process.listenerCount('unhandledRejection')).toBe(before.unhandledRejection);
    expect(tf.env().get('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('starts wasm with 1 thread', async () => {
    const report = await initBackend({ backend: 'wasm', threads: 1 });
    expect(report).toMatchObject({ name: 'wasm', tfBackend: 'wasm', simd: true, threads: 1, skipped: [] });
  });

  it('gives the same 256×256 matMul on wasm (1 and 2 threads) as on cpu, within 1e-4', async () => {
    const a = matrix(1);
    const b = matrix(2);
    await initBackend({ backend: 'cpu' });
    const expected = await matMulOnCurrentBackend(a, b);
    for (const threads of [2, 1]) {
      const report = await initBackend({ backend: 'wasm', threads });
      expect(report.threads).toBe(threads);
      const actual = await matMulOnCurrentBackend(a, b);
      let worst = 0;
      for (let index = 0; index < expected.length; index++) worst = Math.max(worst, Math.abs(actual[index]! - expected[index]!));
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it('falls back to 1 wasm thread, and says so, when the threaded build fails to start', async () => {
    const report = await initBackend(
      { backend: 'wasm', threads: 2 },
      {
        startThreadedWasm: () => {
          throw new Error('worker script failed');
        },
      },
    );
    expect(report).toMatchObject({ name: 'wasm', tfBackend: 'wasm', threads: 1, simd: true });
    expect(report.notes).toEqual(['threaded wasm failed to start (worker script failed): using 1 thread']);
    expect(Array.from(await tf.sub(tf.tensor1d([5]), tf.tensor1d([3])).data())).toEqual([2]);
  });

  it('reports the threads tfjs really started when the patches do not take', async () => {
    // Without the patches, tfjs in Node quietly starts its single-threaded build.
    const report = await initBackend({ backend: 'wasm', threads: 2 }, { startThreadedWasm: (_threads, init) => init() });
    expect(report).toMatchObject({ name: 'wasm', threads: 1, notes: ['asked for 2 threads, tfjs started 1'] });
  });

  it.each(['tensorflow-gpu', 'tensorflow'] as const)('refuses %s when its package is not installed', async (name) => {
    const error = await expectUnavailable(initBackend({ backend: name }));
    expect(error.message).toContain(name);
    expect(error.message).toContain('not installed');
  });

  it('rejects a thread count that is not a whole number ≥ 1', async () => {
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      await expect(initBackend({ backend: 'wasm', threads })).rejects.toMatchObject({ kind: 'usage' });
    }
  });
});

describe('automatic choice', () => {
  it('picks wasm here and says why the tensorflow backends were skipped', async () => {
    const report = await initBackend();
    expect(report.name).toBe('wasm');
    expect(report.simd).toBe(true);
    expect(report.threads).toBe(Math.min(os.availableParallelism(), 8));
    expect(report.skipped).toEqual([
      { name: 'tensorflow-gpu', why: '@tensorflow/tfjs-node-gpu is not installed' },
      { name: 'tensorflow', why: '@tensorflow/tfjs-node is not installed' },
    ]);
    expect(describeBackend(report)).toBe(
      `backend: wasm (SIMD, ${report.threads} thread${report.threads === 1 ? '' : 's'}); skipped: ` +
        'tensorflow-gpu (@tensorflow/tfjs-node-gpu is not installed), tensorflow (@tensorflow/tfjs-node is not installed)',
    );
  });
});

/** Stands in for the 'tensorflow' backend tfjs-node registers; only what the selection reads. */
class FakeTensorflowBackend extends tf.KernelBackend {
  constructor(readonly isUsingGpuDevice: boolean) {
    super();
  }

  override dispose(): void {}
}

/** A loader that "loads" the given packages the way tfjs-node does: registering 'tensorflow'. */
function fakeLoader(packages: Partial<Record<NativePackageName, NativeLoadResult & { gpu?: boolean }>>) {
  const calls: NativePackageName[] = [];
  const load = (name: NativePackageName): NativeLoadResult => {
    calls.push(name);
    const result = packages[name] ?? { status: 'missing' };
    if (result.status === 'loaded') tf.registerBackend('tensorflow', () => new FakeTensorflowBackend(result.gpu === true), 3);
    return result;
  };
  return { load, calls };
}

describe('tensorflow selection (fake tfjs-node packages)', () => {
  const cleanUp = (): void => {
    if (tf.findBackendFactory('tensorflow') !== null) tf.removeBackend('tensorflow');
  };

  it('uses tensorflow-gpu when TensorFlow sees a GPU', async () => {
    const fake = fakeLoader({ '@tensorflow/tfjs-node-gpu': { status: 'loaded', gpu: true } });
    try {
      const report = await initBackend({}, { loadNativePackage: fake.load });
      expect(report).toMatchObject({ name: 'tensorflow-gpu', tfBackend: 'tensorflow', skipped: [] });
      expect(fake.calls).toEqual(['@tensorflow/tfjs-node-gpu']);
    } finally {
      cleanUp();
    }
  });

  it('turns TF32 off before libtensorflow loads, unless the user chose', async () => {
    const saved = process.env.NVIDIA_TF32_OVERRIDE;
    try {
      for (const [preset, expected, device] of [
        [undefined, '0', 'float32 (TF32 off)'],
        ['1', '1', 'TF32 allowed (NVIDIA_TF32_OVERRIDE=1)'],
      ] as const) {
        if (preset === undefined) delete process.env.NVIDIA_TF32_OVERRIDE;
        else process.env.NVIDIA_TF32_OVERRIDE = preset;
        let seenAtLoad: string | undefined;
        const fake = fakeLoader({ '@tensorflow/tfjs-node-gpu': { status: 'loaded', gpu: true } });
        const report = await initBackend({}, {
          loadNativePackage: (name) => {
            seenAtLoad = process.env.NVIDIA_TF32_OVERRIDE;
            return fake.load(name);
          },
        });
        cleanUp();
        expect(seenAtLoad).toBe(expected);
        expect(report.device).toContain(device);
      }
    } finally {
      if (saved === undefined) delete process.env.NVIDIA_TF32_OVERRIDE;
      else process.env.NVIDIA_TF32_OVERRIDE = saved;
      cleanUp();
    }
  });

  it('without a GPU, skips tensorflow-gpu and runs tensorflow on the GPU package\'s libtensorflow', async () => {
    const fake = fakeLoader({
      '@tensorflow/tfjs-node-gpu': { status: 'loaded', gpu: false },
      '@tensorflow/tfjs-node': { status: 'loaded', gpu: false },
    });
    try {
      const report = await initBackend({}, { loadNativePackage: fake.load });
      expect(report.name).toBe('tensorflow');
      expect(report.tfBackend).toBe('tensorflow');
      expect(report.device).toContain('@tensorflow/tfjs-node-gpu');
      expect(report.skipped).toEqual([{ name: 'tensorflow-gpu', why: 'no CUDA device (TensorFlow sees no GPU)' }]);
      expect(fake.calls).toEqual(['@tensorflow/tfjs-node-gpu']);
    } finally {
      cleanUp();
    }
  });

  it('forced tensorflow-gpu without a GPU fails rather than running on the CPU', async () => {
    const fake = fakeLoader({ '@tensorflow/tfjs-node-gpu': { status: 'loaded', gpu: false } });
    try {
      const error = await expectUnavailable(initBackend({ backend: 'tensorflow-gpu' }, { loadNativePackage: fake.load }));
      expect(error.message).toContain('no CUDA device');
    } finally {
      cleanUp();
    }
  });

  it('reports a libtensorflow that fails to load and moves on', async () => {
    const fake = fakeLoader({
      '@tensorflow/tfjs-node-gpu': { status: 'failed', why: 'libtensorflow failed to load: libcudart.so.11.0: cannot open shared object file' },
      '@tensorflow/tfjs-node': { status: 'loaded', gpu: false },
    });
    try {
      const report = await initBackend({}, { loadNativePackage: fake.load });
      expect(report).toMatchObject({ name: 'tensorflow', device: 'CPU, libtensorflow' });
      expect(report.skipped).toEqual([
        { name: 'tensorflow-gpu', why: 'libtensorflow failed to load: libcudart.so.11.0: cannot open shared object file' },
      ]);
      expect(fake.calls).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    } finally {
      cleanUp();
    }
  });
});

describe('describeBackend', () => {
  it('writes one line', () => {
    const report: BackendReport = {
      name: 'wasm',
      tfBackend: 'wasm',
      threads: 1,
      simd: true,
      notes: ['threaded wasm failed to start (boom): using 1 thread'],
      skipped: [{ name: 'tensorflow', why: 'no' }],
    };
    expect(describeBackend(report)).toBe(
      'backend: wasm (SIMD, 1 thread); note: threaded wasm failed to start (boom): using 1 thread; skipped: tensorflow (no)',
    );
    expect(describeBackend({ name: 'cpu', tfBackend: 'cpu', threads: 1, device: 'CPU, plain JavaScript', skipped: [] })).toBe(
      'backend: cpu (CPU, plain JavaScript, 1 thread)',
    );
    expect(describeBackend({ name: 'tensorflow-gpu', tfBackend: 'tensorflow', device: 'GPU, CUDA via libtensorflow', skipped: [] })).toBe(
      'backend: tensorflow-gpu (GPU, CUDA via libtensorflow)',
    );
  });

  it('knows the backend names', () => {
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].every(isBackendName)).toBe(true);
    expect(isBackendName('webgl')).toBe(false);
  });
});

describe('shutdown', () => {
  it('stops the wasm threads, leaves tfjs on cpu, and wasm can start again', async () => {
    await initBackend({ backend: 'wasm', threads: 2 });
    const module = (tf.backend() as unknown as { wasm: { PThread: { runningWorkers: unknown[]; unusedWorkers: unknown[] } } }).wasm;
    expect(module.PThread.runningWorkers.length + module.PThread.unusedWorkers.length).toBeGreaterThan(0);
    shutdownBackend();
    expect(module.PThread.runningWorkers.length + module.PThread.unusedWorkers.length).toBe(0);
    expect(tf.getBackend()).toBe('cpu');
    shutdownBackend();

    const again = await initBackend({ backend: 'wasm', threads: 2 });
    expect(again.threads).toBe(2);
    expect(Array.from(await tf.mul(tf.tensor1d([2]), tf.tensor1d([3])).data())).toEqual([6]);
  });

  it('a process that starts 2 wasm threads and returns from main exits by itself', async () => {
    const fixture = join(root, 'test/model/wasm-threads-exit.fixture.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const outcome = await new Promise<{ code: number | null; timedOut: boolean }>((resolveOutcome) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolveOutcome({ code: null, timedOut: true });
      }, 60_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolveOutcome({ code, timedOut: false });
      });
    });
    expect(outcome.timedOut, `child did not exit within 60 s; stderr: ${stderr}`).toBe(false);
    expect(outcome.code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim())).toEqual({ backend: 'wasm', threads: 2, simd: true, finite: true });
  }, 90_000);
});
