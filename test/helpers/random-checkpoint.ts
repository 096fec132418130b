/** Random-weight TimeSformer checkpoints of any size, for benchmarks and slow-model tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimesformerConfig } from '../../src/model/config.js';
import { expectedWeightShapes } from '../../src/model/timesformer.js';
import { writeSafetensors } from '../../src/model/weights/safetensors.js';
import { elementCount } from '../../src/model/weights/tensor-source.js';
import { randomSequence } from './random-sequence.js';

/**
 * Writes a checkpoint folder (config.json + model.safetensors) with deterministic N(0, 0.02²)-ish
 * weights (sum of uniforms) and LayerNorm weights near 1, one tensor at a time.
 */
export function writeRandomCheckpoint(folder: string, config: TimesformerConfig): string {
  const next = randomSequence(12345);
  const tensors = [...expectedWeightShapes(config)].map(([name, shape]) => ({
    name,
    shape,
    data: () => {
      const offset = /norm.*\.weight$/.test(name) ? 1 : 0;
      const data = new Float32Array(elementCount(shape));
      for (let i = 0; i < data.length; i++) data[i] = offset + (next() + next() + next() - 1.5) * 0.04;
      return data;
    },
  }));
  const weightsPath = join(folder, 'model.safetensors');
  writeSafetensors(weightsPath, tensors, { format: 'pt' });
  writeFileSync(join(folder, 'config.json'), JSON.stringify({ model_type: 'timesformer', ...config }));
  return weightsPath;
}
