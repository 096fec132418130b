/**
 * The coordinating side of the inference worker: starts it, loads the model, and hands windows to
 * it with at most `depth` of them queued, so the decoder can run ahead by one window and no
 * further (bounded memory; the model never waits on the decoder when the decoder is faster).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cancelledError } from '../shared/cancellation.js';
import { LongviewError } from '../shared/errors.js';
import type { ErrorResponse, InferRequest, LoadedResponse, LoadRequest, ResultResponse, WorkerResponse } from './inference-protocol.js';

/**
 * The worker's compiled file. Under a TypeScript runner (tests import src/*.ts) the sibling is a
 * .ts file a worker cannot load, so the build output in dist/ is used instead.
 */
function workerScript(): URL {
  const here = new URL('./inference-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return here;
  const built = new URL('../../dist/src/analysis/inference-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(built))) throw new Error(`internal: ${fileURLToPath(built)} is missing; run \`npm run build\` first`);
  return built;
}

/** A window to compute: the request without its message tag. */
export type WindowPixels = Omit<InferRequest, 'type'>;

export interface InferenceClientOptions {
  onLayer?: (window: number, done: number, total: number) => void;
}

interface Pending {
  resolve: (result: ResultResponse) => void;
  reject: (error: Error) => void;
}

function toError(response: ErrorResponse): LongviewError {
  return new LongviewError(response.kind, response.reason, response.message);
}

export class InferenceClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private loading: { resolve: (loaded: LoadedResponse) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly options: InferenceClientOptions;

  constructor(options: InferenceClientOptions = {}) {
    this.options = options;
    this.worker = new Worker(workerScript());
    this.worker.on('message', (message: WorkerResponse) => this.receive(message));
    this.worker.on('error', (error) => this.fail(new LongviewError('internal', 'worker-crashed', `the inference worker failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => this.fail(new LongviewError('internal', 'worker-exited', `the inference worker stopped (exit code ${code})`)));
  }

  load(request: Omit<LoadRequest, 'type'>): Promise<LoadedResponse> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      this.loading = { resolve, reject };
      this.worker.postMessage({ type: 'load', ...request } satisfies LoadRequest);
    });
  }

  /** Windows sent and not yet answered. */
  get queued(): number {
    return this.pending.size;
  }

  /** Sends a window (its pixel buffer is transferred: the caller must not reuse it). */
  infer(window: WindowPixels): Promise<ResultResponse> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      this.pending.set(window.window, { resolve, reject });
      this.worker.postMessage({ type: 'infer', ...window }, [window.pixels.buffer as ArrayBuffer]);
    });
  }

  /** Stops the worker at once, even mid-window; pending windows reject with `reason`. */
  async terminate(reason: Error = cancelledError('Inference', undefined)): Promise<void> {
    this.fail(reason);
    await this.worker.terminate();
  }

  private receive(message: WorkerResponse): void {
    switch (message.type) {
      case 'loaded':
        this.loading?.resolve(message);
        this.loading = undefined;
        return;
      case 'layer':
        this.options.onLayer?.(message.window, message.done, message.total);
        return;
      case 'result': {
        const pending = this.pending.get(message.window);
        this.pending.delete(message.window);
        pending?.resolve(message);
        return;
      }
      case 'error': {
        const error = toError(message);
        if (message.window === undefined) {
          // A load failure, or one we cannot attribute: everything waiting fails with it.
          this.fail(error);
          return;
        }
        const pending = this.pending.get(message.window);
        this.pending.delete(message.window);
        pending?.reject(error);
        return;
      }
    }
  }

  private fail(error: Error): void {
    if (this.failure === undefined) this.failure = error;
    this.loading?.reject(error);
    this.loading = undefined;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
