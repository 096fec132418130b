/**
 * What the analysis panel offers: the bundled demo model first (the default), then every model on
 * this machine (src/models/local-models.ts). A model that cannot be used is listed with its
 * problem rather than hidden, so the user learns why it is not working.
 */
import { basename } from 'node:path';
import type { ModelChoice } from '../shared/api.js';
import type { LocalModel } from '../shared/models.js';
import { LongviewError } from '../shared/errors.js';
import { trainedFrameStride } from '../analysis/trained-stride.js';
import { openModelCheckpoint } from '../model/load-model.js';
import { demoModelAvailable, demoModelPath } from '../models/demo-model.js';
import { listLocalModels, presetFromConfig } from '../models/local-models.js';
import { resolveModelPath } from '../models/resolve-model.js';
import type { HubSettings } from '../models/hub/hub-settings.js';

export function modelChoices(hub: HubSettings, modelsFolder: string): ModelChoice[] {
  const demoPath = demoModelPath();
  const local = listLocalModels({ hubCacheDirectory: hub.cacheDirectory, dataFolder: modelsFolder, onWarning: () => undefined }).filter((model) => model.path !== demoPath);
  return [demoChoice(), ...local.map(localChoice)];
}

/**
 * The checkpoint for a `ModelChoice.reference`: '' means "the default", which is the user's chosen
 * model from the settings when there is one, else the demo model.
 */
export function resolveModelChoice(reference: string, settingsModel: string | null, hub: HubSettings): string {
  const chosen = reference !== '' ? reference : (settingsModel ?? '');
  if (chosen !== '') return resolveModelPath(chosen, hub);
  if (!demoModelAvailable()) {
    throw new LongviewError('model', 'no-model', `No model is chosen and the demo model is not installed (${demoModelPath()}); choose a model, or build the demo model with \`npm run train:demo\`.`);
  }
  return demoModelPath();
}

function demoChoice(): ModelChoice {
  const path = demoModelPath();
  const choice: ModelChoice = { reference: path, title: 'Longview demo model', path, license: 'unknown', preset: null, classes: null, problem: null, isDefault: true };
  if (!demoModelAvailable()) return { ...choice, problem: 'The demo model is not installed; build it with `npm run train:demo`, or choose another model.' };
  try {
    const checkpoint = openModelCheckpoint(path);
    checkpoint.source.close();
    return { ...choice, license: checkpoint.license, preset: presetFromConfig(checkpoint.config, trainedFrameStride(checkpoint.path, checkpoint.files, checkpoint.config.num_frames)), classes: checkpoint.labels.length };
  } catch (error) {
    return { ...choice, problem: error instanceof Error ? error.message : 'it cannot be opened' };
  }
}

function localChoice(model: LocalModel): ModelChoice {
  return {
    reference: model.reference,
    title: model.location === 'hf-cache' ? model.reference : basename(model.path),
    path: model.path,
    license: model.license,
    preset: model.preset,
    classes: model.classes,
    problem: model.problem,
    isDefault: false,
  };
}
