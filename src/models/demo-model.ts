/**
 * The model and sample video Longview ships, so the main job runs with no download: a small
 * divided-attention TimeSformer trained on synthetic activities (`npm run train:demo`), and a
 * generated recording of those activities with its ground truth.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesDirectory } from '../model/resources.js';

/** resources/models/longview-demo: config.json (with labels), model.safetensors, README.md (model card). */
export function demoModelPath(): string {
  return join(resourcesDirectory(), 'models', 'longview-demo');
}

export function demoModelAvailable(): boolean {
  return existsSync(join(demoModelPath(), 'model.safetensors')) && existsSync(join(demoModelPath(), 'config.json'));
}

/** resources/samples/demo-activities.mp4: a few minutes of the demo's activities. */
export function sampleVideoPath(): string {
  return join(resourcesDirectory(), 'samples', 'demo-activities.mp4');
}

/** Its ground truth, in Longview's JSON export format. */
export function sampleTruthPath(): string {
  return join(resourcesDirectory(), 'samples', 'demo-activities.truth.json');
}
