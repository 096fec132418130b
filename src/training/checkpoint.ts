/**
 * Writes the trained model as an HF-style folder that load-model.ts reads unchanged:
 *   config.json        TimesformerConfig fields, id2label / label2id, and `longview_sampling`
 *                      (the frame stride the model was trained with; analyze.ts honours it)
 *   model.safetensors  every weight in HF's stored layout ([out, in] Linear weights, …), float32
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimesformerConfig } from '../model/config.js';
import { labelList } from '../model/config.js';
import { expectedWeightShapes, toStoredLayout, type TimeSformer } from '../model/timesformer.js';
import { writeSafetensors } from '../model/weights/safetensors.js';

/** The extra config.json key with the trained sampling: `{ frame_stride, sampling_fps }`. */
export const SAMPLING_CONFIG_KEY = 'longview_sampling';

export interface TrainedSampling {
  frame_stride: number;
  sampling_fps: number;
}

export function checkpointConfigJson(config: TimesformerConfig, sampling: TrainedSampling): Record<string, unknown> {
  const labels = labelList(config);
  const { id2label: _labels, ...fields } = config;
  return {
    model_type: 'timesformer',
    architectures: ['TimesformerForVideoClassification'],
    ...fields,
    num_labels: labels.length,
    id2label: Object.fromEntries(labels.map((label, index) => [String(index), label])),
    label2id: Object.fromEntries(labels.map((label, index) => [label, index])),
    [SAMPLING_CONFIG_KEY]: sampling,
  };
}

export function writeCheckpoint(folder: string, model: TimeSformer, sampling: TrainedSampling, metadata: Record<string, string> = {}): void {
  mkdirSync(folder, { recursive: true });
  const weights = model.backendWeights();
  const tensors = [...expectedWeightShapes(model.config)].map(([name, shape]) => ({
    name,
    shape,
    data: () => {
      const stored = toStoredLayout(model.config, name, weights.get(name)!);
      const values = stored.dataSync() as Float32Array;
      stored.dispose();
      return Float32Array.from(values);
    },
  }));
  writeSafetensors(join(folder, 'model.safetensors'), tensors, { format: 'pt', ...metadata });
  writeFileSync(join(folder, 'config.json'), `${JSON.stringify(checkpointConfigJson(model.config, sampling), null, 2)}\n`);
}

