/**
 * The inference worker thread: loads the model once, then turns each window's RGB bytes into
 * logits and a compact rollout heatmap. Runs in a `worker_threads` Worker started by
 * inference-client.ts; it never touches files other than the model's, nor the decoder.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { LongviewError } from '../shared/errors.js';
import { describeBackend, initBackend } from '../model/backend.js';
import { loadModel } from '../model/load-model.js';
import type { TimeSformer } from '../model/timesformer.js';
import type { InferRequest, LoadRequest, WorkerRequest, WorkerResponse } from './inference-protocol.js';

const port = parentPort;
if (port === null) throw new Error('inference-worker.ts runs only as a worker thread');

let model: TimeSformer | undefined;

function send(message: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function sendError(error: unknown, window?: number): void {
  const base = window === undefined ? {} : { window };
  if (error instanceof LongviewError) send({ type: 'error', ...base, kind: error.kind, reason: error.reason, message: error.message });
  else send({ type: 'error', ...base, kind: 'internal', reason: 'worker', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}

async function load(request: LoadRequest): Promise<void> {
  const report = await initBackend({
    ...(request.backend === undefined ? {} : { backend: request.backend }),
    ...(request.threads === undefined ? {} : { threads: request.threads }),
  });
  model = loadModel(request.modelPath, { configPath: request.configPath, labelsPath: request.labelsPath }).model;
  // The export records what computed (backend and threads); the terminal also hears what was passed over.
  const computing = describeBackend({ ...report, notes: [], skipped: [] }).replace(/^backend: /, '');
  send({ type: 'loaded', backend: computing, details: describeBackend(report).replace(/^backend: /, ''), backendName: report.name });
}

/** pixel_values [1, T, 3, S, S] = (rgb · rescale − mean) / std, from [T, S, S, 3] bytes. */
function pixelValues(request: InferRequest): tf.Tensor5D {
  const { frames, imageSize, normalization } = request;
  return tf.tidy(() => {
    const rgb = tf.tensor4d(request.pixels, [frames, imageSize, imageSize, 3], 'float32');
    const mean = tf.tensor1d(normalization.mean);
    const std = tf.tensor1d(normalization.std);
    const normalized = rgb.mul(normalization.rescale).sub(mean).div(std);
    return normalized.transpose([0, 3, 1, 2]).expandDims(0) as tf.Tensor5D;
  });
}

function infer(request: InferRequest): void {
  if (model === undefined) throw new Error('internal: infer before load');
  const started = performance.now();
  const input = pixelValues(request);
  const output = model.forward(input, {
    outputRollout: true,
    onLayer: (done, total) => send({ type: 'layer', window: request.window, done, total }),
  });
  input.dispose();
  try {
    const real = request.realFrames;
    const [logits, heatmapBytes, maximum, shape] = tf.tidy(() => {
      // space_only gives one row of logits per frame: the clip's score is their mean over real frames.
      const rows = output.logits.shape[0]!;
      const clipLogits = rows === 1 ? output.logits.squeeze([0]) : output.logits.slice([0, 0], [Math.min(real, rows), -1]).mean(0);
      const rollout = output.rollout!.slice([0, 0, 0], [real, -1, -1]);
      const bytes = rollout.mul(255).round().clipByValue(0, 255).cast('int32');
      return [clipLogits.dataSync() as Float32Array, bytes.dataSync() as Int32Array, output.rolloutRaw!.max().dataSync()[0]!, rollout.shape];
    });
    const data = Uint8Array.from(heatmapBytes);
    const result: WorkerResponse = {
      type: 'result',
      window: request.window,
      logits: Float32Array.from(logits),
      heatmap: { frames: shape[0]!, height: shape[1]!, width: shape[2]!, data, maximum },
      milliseconds: performance.now() - started,
    };
    send(result, [result.logits.buffer as ArrayBuffer, data.buffer as ArrayBuffer]);
  } finally {
    output.dispose();
  }
}

// Messages are handled one at a time: a forward pass blocks this thread until it is done.
port.on('message', (request: WorkerRequest) => {
  if (request.type === 'load') {
    load(request).catch((error: unknown) => sendError(error));
    return;
  }
  try {
    infer(request);
  } catch (error) {
    sendError(error, request.window);
  }
});
