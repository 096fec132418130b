/**
 * `longview forward`: one forward pass on a saved `pixel_values` tensor, written out as
 * safetensors with the golden fixtures' names. It is how parity is checked from outside.
 */
import * as tf from '@tensorflow/tfjs';
import { LongviewError, UsageError } from '../shared/errors.js';
import { describeBackend, initBackend, isBackendName, shutdownBackend } from '../model/backend.js';
import { loadModel } from '../model/load-model.js';
import { openSafetensors, writeSafetensors, type TensorToWrite } from '../model/weights/safetensors.js';
import { checkWritable } from './output-path.js';
import { progressLine } from './progress.js';
import { requireFlag, type Command } from './run.js';
import { modelFlag } from './model-flag.js';

export const forwardCommand: Command = {
  summary: 'run the model once on a pixel_values tensor and save logits and the rollout heatmap',
  usage: [
    'Usage: longview forward --model <folder|file> --pixels <input.safetensors> --out <output.safetensors>',
    '                        [--config <config.json>] [--backend tensorflow-gpu|tensorflow|wasm|cpu] [--attentions]',
    '',
    '  --pixels      safetensors with `pixel_values` [1, T, 3, H, W], already normalized',
    '  --out         where to write logits, last_hidden_state, rollout [T, H/p, W/p] and rollout_raw',
    '  --attentions  also write every layer\'s attention probabilities (layers.i.*)',
    '  --backend     force a compute backend instead of the fastest available one',
    '',
  ].join('\n'),
  options: {
    model: { type: 'string' },
    config: { type: 'string' },
    pixels: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string' },
    attentions: { type: 'boolean' },
  },
  async run(values, { stderr }) {
    const modelPath = modelFlag(values);
    const pixelsPath = requireFlag(values, 'pixels');
    const outPath = requireFlag(values, 'out');
    const backend = values.backend as string | undefined;
    if (backend !== undefined && !isBackendName(backend)) throw new UsageError(`--backend must be one of tensorflow-gpu, tensorflow, wasm, cpu (got "${backend}")`);

    checkWritable(outPath);
    const pixelValues = readPixelValues(pixelsPath);
    const report = await initBackend(backend === undefined ? {} : { backend });
    stderr.write(`${describeBackend(report)}\n`);
    try {
      const { model } = loadModel(modelPath, { configPath: values.config as string | undefined });
      const started = performance.now();
      const input = tf.tensor(pixelValues.data, pixelValues.shape);
      // A 96-frame window on a base model takes minutes on wasm: show where it is on a terminal.
      const onLayer = process.stderr.isTTY
        ? (done: number, total: number) => stderr.write(`\r${progressLine('forward: layer', done, total, performance.now() - started)}\x1b[K${done === total ? '\n' : ''}`)
        : undefined;
      const output = model.forward(input, { outputRollout: true, outputAttentions: values.attentions === true, onLayer });
      input.dispose();
      const tensors: TensorToWrite[] = [];
      const add = (name: string, tensor: tf.Tensor | undefined): void => {
        if (tensor !== undefined) tensors.push({ name, shape: tensor.shape, data: tensor.dataSync() as Float32Array });
      };
      add('logits', output.logits);
      add('last_hidden_state', output.lastHiddenState);
      add('rollout', output.rollout);
      add('rollout_raw', output.rolloutRaw);
      output.attentions?.forEach((layer, index) => {
        add(`layers.${index}.temporal_attention`, layer.temporal);
        add(`layers.${index}.spatial_attention`, layer.spatial);
        add(`layers.${index}.attention`, layer.joint);
      });
      const seconds = (performance.now() - started) / 1000;
      output.dispose();
      model.dispose();
      writeSafetensors(outPath, tensors, { producer: 'longview forward', backend: report.name });
      stderr.write(`forward: ${pixelValues.shape.join('×')} in ${seconds.toFixed(2)} s → ${outPath}\n`);
    } finally {
      shutdownBackend();
    }
  },
};


function readPixelValues(path: string): { shape: number[]; data: Float32Array } {
  let source;
  try {
    source = openSafetensors(path);
  } catch (error) {
    if (error instanceof LongviewError) throw new LongviewError('input', error.reason, `--pixels: ${error.message}`, { cause: error });
    throw error;
  }
  try {
    const entry = source.entries.get('pixel_values');
    if (entry === undefined) throw new LongviewError('input', 'missing-tensor', `${path} has no tensor named pixel_values (found: ${[...source.entries.keys()].join(', ') || 'none'})`);
    if (entry.shape.length !== 5 || entry.shape[0] !== 1) throw new LongviewError('input', 'bad-shape', `${path}: pixel_values must be [1, T, C, H, W], got [${entry.shape.join(', ')}]`);
    return { shape: [...entry.shape], data: entry.read() };
  } finally {
    source.close();
  }
}
