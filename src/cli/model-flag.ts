/**
 * `--model`: a path, or a Hub id already downloaded (resolved from the local HF cache, never the
 * network). Commands that can run without one (analyze) pass `defaultToDemo`: no `--model` then
 * means the bundled demo model (resources/models/longview-demo, `npm run train:demo`).
 */
import os from 'node:os';
import { ModelError } from '../shared/errors.js';
import { demoModelAvailable, demoModelPath } from '../models/demo-model.js';
import { hubSettings } from '../models/hub/hub-settings.js';
import { resolveModelPath } from '../models/resolve-model.js';
import { requireFlag } from './run.js';

export function modelFlag(values: Record<string, string | boolean | undefined>, options: { defaultToDemo?: boolean } = {}): string {
  if (options.defaultToDemo === true && (values.model === undefined || values.model === '')) {
    if (!demoModelAvailable()) {
      throw new ModelError('no-model', `no --model given and the demo model is not installed (${demoModelPath()}); pass --model, or build the demo model with \`npm run train:demo\``);
    }
    return demoModelPath();
  }
  return resolveModelPath(requireFlag(values, 'model'), hubSettings(process.env, os.homedir()));
}
