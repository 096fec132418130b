/**
 * Multi-threaded tfjs wasm in Node.
 *
 * `@tensorflow/tfjs-backend-wasm` 4.22 ships a threaded + SIMD build, but in Node it never uses it:
 * the build is wired for browsers (Blob URLs, `navigator.hardwareConcurrency` halved for SMT), and
 * the feature flag that selects it is hard-wired to `false` when `IS_NODE` (tfjs issue #3830).
 * This file holds the small, temporary patches that make the threaded build start in Node, plus
 * the two things the caller must do afterwards (let the pthread workers not hold the process open,
 * and terminate them at the end). Everything here was checked against the installed package
 * (`dist/tf-backend-wasm.node.js`, `wasm-out/*`) and against tfjs' `src/cc/backend.cc`.
 *
 * Every patch is applied only for the duration of one `tf.setBackend('wasm')` call and restored
 * in a `finally` right after: once the module has resolved, its 8 pthread workers are loaded and
 * nothing below is consulted again (see `MAX_WASM_THREADS`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);

/**
 * The most threads the wasm backend will ever use. tfjs' C++ caps the XNNPACK pool at
 * `max_num_threads = 8`, which is also emscripten's pre-spawned pool (`pthreadPoolSize = 8` in
 * `PThread.initMainThread`). Staying within it means no worker is ever created after init, so the
 * patches below can be undone as soon as `setBackend` resolves.
 */
export const MAX_WASM_THREADS = 8;

const MULTITHREAD_FLAG = 'WASM_HAS_MULTITHREAD_SUPPORT';

/** The part of emscripten's `PThread` object (exposed as `Module.PThread`) that is used here. */
interface PThreadApi {
  runningWorkers: Worker[];
  unusedWorkers: Worker[];
  terminateAllThreads(): void;
}

/** The emscripten module behind a `BackendWasm` (`tf.backend().wasm`); `PThread` only in the threaded build. */
export interface WasmModuleWithThreads {
  PThread?: PThreadApi;
}

function pthreadsOf(wasmModule: unknown): PThreadApi | undefined {
  const pthread = (wasmModule as WasmModuleWithThreads | null | undefined)?.PThread;
  return pthread !== undefined && typeof pthread.terminateAllThreads === 'function' ? pthread : undefined;
}

/** Files of the installed wasm package that the threaded build needs, resolved from here. */
function threadedBuildFiles(): { workerSource: string; mainScriptPath: string } {
  const workerModule = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
    wasmWorkerContents?: unknown;
  };
  if (typeof workerModule.wasmWorkerContents !== 'string') {
    throw new Error('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js has no wasmWorkerContents');
  }
  return {
    workerSource: workerModule.wasmWorkerContents,
    mainScriptPath: require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'),
  };
}

/**
 * Runs `init` (which must call `tf.setBackend('wasm')` and return its result) with the patches
 * that let the threaded build start in Node and use `threads` threads. The wasm package must
 * already be imported (it registers the flag) and `setThreadsCount(threads)` called. Every patch
 * is undone before this returns or throws.
 */
export async function withNodeWasmThreads(threads: number, init: () => Promise<boolean>): Promise<boolean> {
  const { workerSource, mainScriptPath } = threadedBuildFiles();
  const undo: (() => void)[] = [];
  /** Every worker emscripten creates during this init, to terminate if the init fails half-way. */
  const createdWorkers: Worker[] = [];
  let started = false;
  try {
    // 1. The flag. `flags_wasm.js` registers WASM_HAS_MULTITHREAD_SUPPORT as "false when IS_NODE"
    //    (tfjs issue #3830), and `init()` loads the threaded binary only when both it and
    //    WASM_HAS_SIMD_SUPPORT are true. Node 20 has everything the threaded build needs
    //    (SharedArrayBuffer, wasm threads, worker_threads), so we override the flag for this init;
    //    it is read only inside `init()`.
    const previousFlag = await tf.env().getAsync(MULTITHREAD_FLAG);
    tf.env().set(MULTITHREAD_FLAG, true);
    undo.push(() => tf.env().set(MULTITHREAD_FLAG, previousFlag));

    // 2. The pthread worker script. tfjs' `locateFile` answers emscripten's request for
    //    `tfjs-backend-wasm-threaded-simd.worker.js` with `URL.createObjectURL(new Blob([...]))`,
    //    and emscripten then does `new Worker(thatUrl)`. Node's `worker_threads.Worker` cannot load
    //    a `blob:` URL, so while init runs, createObjectURL returns a real file holding the same
    //    text. The text is `wasmWorkerContents` with every newline turned back into the two
    //    characters `\n`, exactly as tfjs does before making the Blob: the contents were stored in
    //    a template literal, which turned the `\n` escapes inside string literals into real line
    //    breaks (without the replace the worker dies with "SyntaxError: Invalid or unexpected
    //    token"). `.cjs` keeps it CommonJS whatever package.json is nearest to the temp folder.
    const workerText = workerSource.replace(/\n/g, '\\n');
    const workerDir = mkdtempSync(join(os.tmpdir(), 'longview-wasm-'));
    undo.push(() => rmSync(workerDir, { recursive: true, force: true }));
    const workerPath = join(workerDir, 'tfjs-backend-wasm-threaded-simd.worker.cjs');
    writeFileSync(workerPath, workerText);
    const workerTextBytes = Buffer.byteLength(workerText);
    const originalCreateObjectURL = URL.createObjectURL;
    URL.createObjectURL = function patchedCreateObjectURL(object: Blob): string {
      // Only the worker Blob tfjs builds is redirected; anything else goes through untouched.
      if (object instanceof Blob && object.type === 'application/javascript' && object.size === workerTextBytes) return workerPath;
      return originalCreateObjectURL.call(URL, object);
    };
    undo.push(() => {
      URL.createObjectURL = originalCreateObjectURL;
    });

    // 3. The main script each worker evaluates. Emscripten posts every pool worker
    //    `{cmd: 'load', urlOrBlob: Module.mainScriptUrlOrBlob, ...}`, and tfjs sets that to a Blob
    //    holding the factory's source. In Node the worker's `importScripts` is
    //    `eval(fs.readFileSync(path))`, so it needs a path, not a Blob: we substitute the package's
    //    own copy of that script, `wasm-out/tfjs-backend-wasm-threaded-simd.js`, which defines the
    //    same global `WasmBackendModuleThreadedSimd`. The messages are posted after the wasm is
    //    instantiated, still inside `setBackend`.
    const originalPostMessage = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function patchedPostMessage(this: Worker, value: unknown, transferList?: readonly unknown[]): void {
      if (typeof value === 'object' && value !== null) {
        const message = value as { cmd?: unknown; urlOrBlob?: unknown };
        if (message.cmd === 'load' && message.urlOrBlob instanceof Blob) value = { ...message, urlOrBlob: mainScriptPath };
      }
      return (originalPostMessage as (this: Worker, value: unknown, transferList?: readonly unknown[]) => void).call(this, value, transferList);
    } as typeof Worker.prototype.postMessage;
    undo.push(() => {
      Worker.prototype.postMessage = originalPostMessage;
    });

    // 4. The core count. tfjs' C++ sizes the XNNPACK pool as
    //    min(max(requested, 1), 8, emscripten_num_logical_cores() / 2): it halves the count
    //    assuming two hyperthreads per core. In Node that count is `require('os').cpus().length`
    //    (the same object we import), read once by a static initialiser while the module starts.
    //    On a 2-core machine that caps the pool at 1 thread, so while init runs `os.cpus()` reports
    //    at least 2 × threads entries (the real ones, repeated).
    //    (Some containers report no CPUs at all; then the entries are placeholders.)
    const originalCpus = os.cpus;
    const realCpus = originalCpus.call(os);
    if (realCpus.length < 2 * threads) {
      const placeholder: os.CpuInfo = { model: 'unknown', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } };
      const padded = Array.from({ length: 2 * threads }, (_, index) => realCpus[index % Math.max(realCpus.length, 1)] ?? placeholder);
      os.cpus = () => padded;
      undo.push(() => {
        os.cpus = originalCpus;
      });
    }

    // 5. The `Worker` global. The threaded emscripten module does
    //    `global.Worker = require('worker_threads').Worker` as it starts in Node, then creates its
    //    pool of 8 with `new Worker(path)`, all within this init. While init runs, `Worker` is an
    //    accessor whose getter gives a subclass that records each worker (its setter ignores
    //    emscripten's assignment), so that a failed init can terminate them: until a worker has
    //    loaded it is ref'd, and one left behind would keep the process alive for ever. Afterwards
    //    the global is put back as it was (absent in Node): a browser-style `Worker` global
    //    misleads feature detection elsewhere.
    class RecordedWorker extends Worker {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        createdWorkers.push(this);
      }
    }
    const workerGlobal = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
    Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => RecordedWorker, set: () => {} });
    undo.push(() => {
      if (workerGlobal === undefined) Reflect.deleteProperty(globalThis, 'Worker');
      else Object.defineProperty(globalThis, 'Worker', workerGlobal);
    });

    started = await withoutEmscriptenProcessHooks(init);
    return started;
  } finally {
    for (const step of undo.reverse()) step();
    // A failed init leaves no module to terminate them through.
    if (!started) for (const worker of createdWorkers) void worker.terminate();
  }
}

/**
 * Runs a wasm init and removes the process-wide listeners emscripten adds while it starts in
 * Node (both builds do this on every instantiation): an `uncaughtException` listener that rethrows
 * anything but its own `ExitStatus`, and an `unhandledRejection` listener that throws. A throwing
 * `uncaughtException` listener turns any crash into Node's exit code 7 and they pile up with
 * every re-init; tfjs never calls emscripten's `exit()`, so they have nothing to do.
 */
export async function withoutEmscriptenProcessHooks<T>(init: () => Promise<T>): Promise<T> {
  const exceptionListeners = new Set(process.listeners('uncaughtException'));
  const rejectionListeners = new Set(process.listeners('unhandledRejection'));
  const source = (listener: unknown): string => Function.prototype.toString.call(listener);
  try {
    return await init();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!exceptionListeners.has(listener) && source(listener).includes('ExitStatus')) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!rejectionListeners.has(listener) && /throw\s+reason/.test(source(listener))) process.removeListener('unhandledRejection', listener);
    }
  }
}

/**
 * Lets the process exit while the pool is alive. Emscripten `ref()`s a worker while a pthread runs
 * on it, and XNNPACK's pool threads run (parked on a futex) for the life of the module, so Node
 * would never see an empty event loop: no exit and no 'beforeExit' either. The main thread talks
 * to them through shared memory, not the event loop, so unref'ing them changes nothing else.
 */
export function unrefPthreadWorkers(wasmModule: unknown): void {
  for (const worker of pthreadsOf(wasmModule)?.runningWorkers ?? []) worker.unref();
}

/** How many pthread workers (running and pooled) the module holds. */
export function pthreadWorkerCount(wasmModule: unknown): number {
  const pthread = pthreadsOf(wasmModule);
  return pthread === undefined ? 0 : pthread.runningWorkers.length + pthread.unusedWorkers.length;
}

/** Terminates every pthread worker of a threaded module; the module can no longer run parallel work. */
export function terminatePthreadWorkers(wasmModule: unknown): void {
  pthreadsOf(wasmModule)?.terminateAllThreads();
}
