/**
 * Chooses and starts the compute backend at run time, and says what it chose and why.
 *
 * Without `--backend`, the fastest one that starts wins, in this order:
 *   1. `tensorflow-gpu`: libtensorflow with CUDA, from the optional `@tensorflow/tfjs-node-gpu`,
 *      kept only if TensorFlow actually sees a GPU;
 *   2. `tensorflow`: libtensorflow on the CPU, from the optional `@tensorflow/tfjs-node`;
 *   3. `wasm`: XNNPACK compiled to WebAssembly with SIMD and one thread per core (see
 *      `wasm-threads.ts` for what that takes in Node);
 *   4. `cpu`: tfjs' plain JavaScript kernels.
 * Each one passed over is reported with a one-line reason. `--backend x` starts only x and fails
 * with a `backend`/`unavailable` error, never silently running something else.
 *
 * There is one copy of tfjs-core: everything imports `@tensorflow/tfjs`, the tfjs-node packages
 * pin `@tensorflow/tfjs` 4.22.0 like we do, and a package that would bring its own copy is
 * refused with the path of the duplicate rather than loaded.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { LongviewError, UsageError } from '../shared/errors.js';
import {
  MAX_WASM_THREADS,
  terminatePthreadWorkers,
  unrefPthreadWorkers,
  withNodeWasmThreads,
  withoutEmscriptenProcessHooks,
} from './wasm-threads.js';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Every backend, fastest first: the order tried when none is forced. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

export interface BackendReport {
  name: BackendName;
  /** `tf.getBackend()` once started: 'tensorflow', 'wasm' or 'cpu'. */
  tfBackend: string;
  /** Threads the backend computes with, where we know (wasm: XNNPACK's pool; cpu: 1). */
  threads?: number;
  /** wasm only: whether the SIMD build runs. */
  simd?: boolean;
  /** What does the arithmetic, in words. */
  device?: string;
  /** Anything the user should know about how it started, e.g. a fallback to one thread. */
  notes?: string[];
  /** Faster backends passed over, with why. Empty when one was forced. */
  skipped: { name: BackendName; why: string }[];
}

export interface InitBackendOptions {
  /** Start exactly this backend, or fail. */
  backend?: BackendName;
  /** wasm threads; default `os.availableParallelism()`, at most 8 (tfjs' limit). */
  threads?: number;
}

export type NativePackageName = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';
export type NativeLoadResult = { status: 'missing' } | { status: 'failed'; why: string } | { status: 'loaded' };

/** Seams for tests, which cannot install the native packages or break the threaded build. */
export interface BackendHooks {
  /** Loads one of the tfjs-node packages, which register the 'tensorflow' backend when loaded. */
  loadNativePackage?: (name: NativePackageName) => NativeLoadResult;
  /** Starts the threaded wasm build; default `withNodeWasmThreads`. */
  startThreadedWasm?: (threads: number, init: () => Promise<boolean>) => Promise<boolean>;
}

const GPU_PACKAGE: NativePackageName = '@tensorflow/tfjs-node-gpu';
/** cuBLAS and cuDNN use TF32 tensor cores for float32 unless this is '0'. */
const TF32_VARIABLE = 'NVIDIA_TF32_OVERRIDE';
const CPU_PACKAGE: NativePackageName = '@tensorflow/tfjs-node';
/** The priority `@tensorflow/tfjs-backend-wasm` registers itself with; kept when we re-register it. */
const WASM_PRIORITY = 2;

const require = createRequire(import.meta.url);

type Attempt = { ok: true; report: Omit<BackendReport, 'skipped'> } | { ok: false; why: string };

/** Calls of `initBackend` run one after another: the wasm patches are process-wide. */
let initQueue: Promise<unknown> = Promise.resolve();

/**
 * Starts a backend (the one asked for, or the fastest that works) and makes it tfjs' current one.
 * Calling it again switches; tensors made on a wasm backend that gets restarted are lost.
 */
export function initBackend(options: InitBackendOptions = {}, hooks: BackendHooks = {}): Promise<BackendReport> {
  const result = initQueue.then(() => initBackendNow(options, hooks));
  initQueue = result.catch(() => undefined);
  return result;
}

interface WasmRequest {
  threads: number;
  /** Whether the caller chose the count (else it is the machine's core count). */
  explicit: boolean;
  startThreaded: (threads: number, init: () => Promise<boolean>) => Promise<boolean>;
}

async function initBackendNow(options: InitBackendOptions, hooks: BackendHooks): Promise<BackendReport> {
  const wasmRequest: WasmRequest = {
    threads: resolveThreads(options.threads),
    explicit: options.threads !== undefined,
    startThreaded: hooks.startThreadedWasm ?? withNodeWasmThreads,
  };
  const loadNative = hooks.loadNativePackage ?? loadNativePackage;
  const order = options.backend === undefined ? BACKEND_NAMES : [options.backend];
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    let attempt: Attempt;
    try {
      attempt = await start(name, wasmRequest, loadNative);
    } catch (error) {
      attempt = { ok: false, why: describeError(error) };
    }
    if (attempt.ok) return { ...attempt.report, skipped };
    if (options.backend !== undefined) {
      throw new LongviewError('backend', 'unavailable', `backend ${name} is unavailable: ${attempt.why}`);
    }
    skipped.push({ name, why: attempt.why });
  }
  const reasons = skipped.map((entry) => `${entry.name} (${entry.why})`).join(', ');
  throw new LongviewError('backend', 'unavailable', `no compute backend could start: ${reasons}`);
}

function start(name: BackendName, wasmRequest: WasmRequest, loadNative: (name: NativePackageName) => NativeLoadResult): Promise<Attempt> {
  switch (name) {
    case 'tensorflow-gpu':
      return startTensorflow(true, loadNative);
    case 'tensorflow':
      return startTensorflow(false, loadNative);
    case 'wasm':
      return startWasm(wasmRequest);
    case 'cpu':
      return startCpu();
  }
}

function resolveThreads(threads: number | undefined): number {
  if (threads === undefined) return Math.max(1, os.availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`threads must be a whole number of at least 1 (got ${threads})`);
  return threads;
}

// ---------------------------------------------------------------------------------------------
// tensorflow-gpu / tensorflow

/**
 * Which tfjs-node package registered the 'tensorflow' backend in this process. Both register the
 * same name and tfjs keeps the first, so a second one could never be used; once the GPU package is
 * loaded, the 'tensorflow' (CPU) step uses its libtensorflow, which runs on the CPU without a GPU.
 */
let nativeProvider: NativePackageName | undefined;

async function startTensorflow(gpu: boolean, loadNative: (name: NativePackageName) => NativeLoadResult): Promise<Attempt> {
  if (nativeProvider !== undefined && tf.findBackendFactory('tensorflow') === null) nativeProvider = undefined;
  if (nativeProvider === undefined) {
    const wanted = gpu ? GPU_PACKAGE : CPU_PACKAGE;
    // Ampere and newer GPUs (the H100 included) run float32 matMuls in TF32 by default: 10-bit
    // mantissas, errors around 1e-3 where the golden fixtures allow 5e-5. NVIDIA's libraries read
    // this variable when they initialise, i.e. after this point; a user's own setting wins.
    if (gpu && process.env[TF32_VARIABLE] === undefined) process.env[TF32_VARIABLE] = '0';
    const loaded = loadNative(wanted);
    if (loaded.status === 'missing') return { ok: false, why: `${wanted} is not installed` };
    if (loaded.status === 'failed') return { ok: false, why: loaded.why };
    if (tf.findBackendFactory('tensorflow') === null) return { ok: false, why: `${wanted} loaded but registered no 'tensorflow' backend` };
    nativeProvider = wanted;
  } else if (gpu && nativeProvider === CPU_PACKAGE) {
    return { ok: false, why: `${CPU_PACKAGE} (CPU only) is already loaded in this process` };
  }
  if (!(await tf.setBackend('tensorflow'))) return { ok: false, why: 'libtensorflow failed to initialise (see the warning above)' };

  const usingGpu = gpuInUse(tf.backend());
  if (gpu) {
    if (usingGpu === false) return { ok: false, why: 'no CUDA device (TensorFlow sees no GPU)' };
    const precision = process.env[TF32_VARIABLE] === '0' ? 'float32 (TF32 off)' : `TF32 allowed (${TF32_VARIABLE}=${process.env[TF32_VARIABLE]})`;
    const report: Omit<BackendReport, 'skipped'> = { name: 'tensorflow-gpu', tfBackend: tf.getBackend(), device: `GPU, CUDA via libtensorflow, ${precision}` };
    if (usingGpu === undefined) report.notes = [`${GPU_PACKAGE} does not say whether TensorFlow found a GPU`];
    return { ok: true, report };
  }
  const device = nativeProvider === GPU_PACKAGE ? `${usingGpu === true ? 'GPU' : 'CPU'}, libtensorflow from ${GPU_PACKAGE}` : 'CPU, libtensorflow';
  return { ok: true, report: { name: 'tensorflow', tfBackend: tf.getBackend(), device } };
}

/**
 * Whether libtensorflow placed ops on a GPU. The tfjs-node backend records it at construction as
 * `isUsingGpuDevice` (its binding lists TensorFlow's devices and takes the first GPU);
 * `undefined` when neither it nor the binding says.
 */
function gpuInUse(backend: unknown): boolean | undefined {
  const candidate = backend as { isUsingGpuDevice?: unknown; binding?: { isUsingGpuDevice?: unknown } } | null;
  if (typeof candidate?.isUsingGpuDevice === 'boolean') return candidate.isUsingGpuDevice;
  const fromBinding = candidate?.binding?.isUsingGpuDevice;
  if (typeof fromBinding === 'function') return Boolean((fromBinding as () => unknown).call(candidate?.binding));
  return undefined;
}

/**
 * The real loader. Requiring a tfjs-node package loads its native addon (which links
 * libtensorflow), registers the 'tensorflow' backend and makes it current. A package that cannot
 * be resolved is "not installed"; one that resolves but throws is a broken libtensorflow.
 */
function loadNativePackage(name: NativePackageName): NativeLoadResult {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    return { status: 'missing' };
  }
  const duplicate = duplicateTfjsWhy(name, entry, true);
  if (duplicate !== undefined) return { status: 'failed', why: duplicate };
  try {
    require(name);
  } catch (error) {
    return { status: 'failed', why: `libtensorflow failed to load: ${describeError(error)}` };
  }
  return { status: 'loaded' };
}

function resolveFrom(from: string, specifier: string): string | undefined {
  try {
    return createRequire(from).resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * Why a package must not be loaded because it would bring a second tfjs (or tfjs-core) next to
 * ours, or undefined. Two copies share tfjs' global engine but not its classes, which breaks in
 * odd places (`instanceof Tensor`, kernels registered on the other copy).
 */
function duplicateTfjsWhy(name: string, entry: string, viaTfjs: boolean): string | undefined {
  const ourTfjs = resolveFrom(import.meta.url, '@tensorflow/tfjs');
  const ourCore = ourTfjs === undefined ? undefined : resolveFrom(ourTfjs, '@tensorflow/tfjs-core');
  let theirBase = entry;
  if (viaTfjs) {
    const theirTfjs = resolveFrom(entry, '@tensorflow/tfjs');
    if (theirTfjs !== undefined && ourTfjs !== undefined && theirTfjs !== ourTfjs) {
      return `${name} would load a second @tensorflow/tfjs (${theirTfjs}); run \`npm dedupe\``;
    }
    if (theirTfjs !== undefined) theirBase = theirTfjs;
  }
  const theirCore = resolveFrom(theirBase, '@tensorflow/tfjs-core');
  if (theirCore !== undefined && ourCore !== undefined && theirCore !== ourCore) {
    return `${name} would load a second @tensorflow/tfjs-core (${theirCore}); run \`npm dedupe\``;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// wasm

/** tfjs' own wasm factory, captured before we first re-register it. */
let wasmFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;
/** What the last failed wasm init threw (tfjs' setBackend only logs it and returns false). */
let wasmInitError: unknown;
/** The running wasm backend we started as asked, to reuse when asked for the same thing again. */
let wasmRunning: { threads: number; report: Omit<BackendReport, 'skipped'> } | undefined;
/** The emscripten module whose pthread workers we started (threaded build only). */
let threadedModule: unknown;

type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');

async function startWasm(request: WasmRequest): Promise<Attempt> {
  const threadsWanted = request.threads;
  const entry = resolveFrom(import.meta.url, '@tensorflow/tfjs-backend-wasm');
  if (entry === undefined) return { ok: false, why: '@tensorflow/tfjs-backend-wasm is not installed' };
  const duplicate = duplicateTfjsWhy('@tensorflow/tfjs-backend-wasm', entry, false);
  if (duplicate !== undefined) return { ok: false, why: duplicate };
  const wasm: WasmPackage = await import('@tensorflow/tfjs-backend-wasm');

  const notes: string[] = [];
  let threads = Math.min(threadsWanted, MAX_WASM_THREADS);
  if (threadsWanted > MAX_WASM_THREADS && request.explicit) notes.push(`tfjs wasm uses at most ${MAX_WASM_THREADS} threads (asked for ${threadsWanted})`);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  if (threads > 1 && !simd) {
    notes.push('this runtime has no wasm SIMD, which the threaded build needs: using 1 thread');
    threads = 1;
  }

  if (wasmRunning !== undefined && wasmRunning.threads === threads && tf.findBackend('wasm') !== null) {
    if (await tf.setBackend('wasm')) return { ok: true, report: { ...wasmRunning.report, tfBackend: tf.getBackend() } };
  }

  const device = 'CPU, WebAssembly + XNNPACK';
  if (threads > 1) {
    let why: string | undefined;
    try {
      freshWasmBackend();
      wasm.setThreadsCount(threads);
      if (await request.startThreaded(threads, () => tf.setBackend('wasm'))) {
        const module = (tf.backend() as unknown as { wasm?: unknown }).wasm;
        unrefPthreadWorkers(module);
        threadedModule = module;
        installExitHook();
        const actual = wasm.getThreadsCount();
        if (actual !== threads) notes.push(`asked for ${threads} threads, tfjs started ${actual}`);
        const report = withNotes({ name: 'wasm', tfBackend: tf.getBackend(), threads: actual, simd: true, device }, notes);
        if (actual === threads) wasmRunning = { threads, report };
        return { ok: true, report };
      }
      why = describeError(wasmInitError ?? 'setBackend returned false');
    } catch (error) {
      why = describeError(error);
    }
    notes.push(`threaded wasm failed to start (${why}): using 1 thread`);
  }

  freshWasmBackend();
  wasm.setThreadsCount(1);
  const started = await withoutEmscriptenProcessHooks(() => tf.setBackend('wasm'));
  if (!started) return { ok: false, why: `the wasm backend failed to start: ${describeError(wasmInitError ?? 'setBackend returned false')}` };
  const report = withNotes({ name: 'wasm', tfBackend: tf.getBackend(), threads: 1, simd, device }, notes);
  // Reused by the next identical request only if it is what was asked for, not a fallback.
  if (threads === 1) wasmRunning = { threads, report };
  return { ok: true, report };
}

/**
 * Makes the next `setBackend('wasm')` build a new module: disposes the one running (which also
 * terminates its pthread workers) and registers tfjs' factory again, wrapped to keep its error.
 */
function freshWasmBackend(): void {
  wasmFactory ??= tf.findBackendFactory('wasm') ?? undefined;
  const factory = wasmFactory;
  if (factory === undefined) throw new Error('@tensorflow/tfjs-backend-wasm did not register the wasm backend');
  if (tf.findBackendFactory('wasm') !== null) tf.removeBackend('wasm');
  wasmRunning = undefined;
  threadedModule = undefined;
  wasmInitError = undefined;
  tf.registerBackend(
    'wasm',
    async () => {
      try {
        return await factory();
      } catch (error) {
        wasmInitError = error;
        throw error;
      }
    },
    WASM_PRIORITY,
  );
}

function withNotes(report: Omit<BackendReport, 'skipped'>, notes: string[]): Omit<BackendReport, 'skipped'> {
  return notes.length > 0 ? { ...report, notes: [...notes] } : report;
}

let exitHookInstalled = false;

/** A CLI that forgets `shutdownBackend()` still exits: the workers are unref'd, so 'beforeExit' comes. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('beforeExit', () => {
    exitHookInstalled = false;
    shutdownBackend();
  });
}

// ---------------------------------------------------------------------------------------------
// cpu

async function startCpu(): Promise<Attempt> {
  if (!(await tf.setBackend('cpu'))) return { ok: false, why: 'the cpu backend failed to start' };
  // tfjs' cpu backend prints a "Hi, looks like you are running TensorFlow.js in Node.js … install
  // our node backend" banner on its first tensor; our report already says which faster backend
  // was skipped and why, so the banner is switched off (it is guarded by this instance flag).
  const cpuBackend = tf.backend() as unknown as { firstUse?: unknown };
  if (typeof cpuBackend.firstUse === 'boolean') cpuBackend.firstUse = false;
  return { ok: true, report: { name: 'cpu', tfBackend: tf.getBackend(), threads: 1, device: 'CPU, plain JavaScript' } };
}

// ---------------------------------------------------------------------------------------------

/**
 * Stops what keeps the process alive: terminates the wasm pthread workers, if any. A wasm backend
 * without its workers would wait for them forever, so if it is current tfjs is switched to 'cpu';
 * tensors already on it can still be read and disposed. `initBackend` can start wasm again later.
 * Safe to call more than once, and a no-op for the other backends.
 */
export function shutdownBackend(): void {
  const module = threadedModule;
  if (module === undefined) return;
  threadedModule = undefined;
  wasmRunning = undefined;
  terminatePthreadWorkers(module);
  if (tf.getBackend() === 'wasm') void tf.setBackend('cpu');
}

/** One line for users, e.g. "backend: wasm (SIMD, 2 threads); skipped: tensorflow-gpu (…), tensorflow (…)". */
export function describeBackend(report: BackendReport): string {
  const details: string[] = [];
  if (report.name === 'wasm') details.push(report.simd === true ? 'SIMD' : 'no SIMD');
  else if (report.device !== undefined) details.push(report.device);
  if (report.threads !== undefined) details.push(`${report.threads} thread${report.threads === 1 ? '' : 's'}`);
  let line = `backend: ${report.name}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  if (report.notes !== undefined && report.notes.length > 0) line += `; note: ${report.notes.join('; ')}`;
  if (report.skipped.length > 0) line += `; skipped: ${report.skipped.map((entry) => `${entry.name} (${entry.why})`).join(', ')}`;
  return line;
}

/** The first line of an error's message: enough to say why, short enough for one report line. */
function describeError(error: unknown): string {
  const message =
    error instanceof Error
      ? error.message
      : typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
        ? (error as { message: string }).message
        : String(error);
  // tfjs rejects every emscripten abort with the same advice for web bundlers; emscripten has
  // already printed the real cause.
  if (message.startsWith('Make sure the server can serve the `.wasm` file')) return 'emscripten aborted while loading the .wasm; its error is printed above';
  return (message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error').trim();
}
