/** `--model`: a path, or a Hub id already downloaded (resolved from the local HF cache, never the network). */
import os from 'node:os';
import { hubSettings } from '../models/hub/hub-settings.js';
import { resolveModelPath } from '../models/resolve-model.js';
import { requireFlag } from './run.js';

export function modelFlag(values: Record<string, string | boolean | undefined>): string {
  return resolveModelPath(requireFlag(values, 'model'), hubSettings(process.env, os.homedir()));
}
