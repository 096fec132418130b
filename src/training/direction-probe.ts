/**
 * `npm run probe:direction`: can the demo recipe learn the order of frames at all? Trains the demo
 * architecture with the demo recipe (initial weights, losses, optimizer, flips) on the easiest
 * direction task there is (moving-disc.ts: a disc crossing a flat frame left or right) and prints
 * how often it is right on clips it has not seen. Every clip is drawn once, so a batch's accuracy
 * before its update is held-out accuracy; chance is 50 %.
 *
 * Flags: --steps N (default 400, ~10 min on 2 cores), --learning-rate X. Nothing is written.
 */
import { parseArgs } from 'node:util';
import { shutdownBackend } from '../model/backend.js';
import { resolveNormalization } from '../analysis/sampling.js';
import { DEMO_RECIPE, demoConfig } from './demo-recipe.js';
import { initialStoredWeights, trainableModel } from './initial-weights.js';
import { movingDiscSet } from './moving-disc.js';
import { trainModel, type StepReport } from './train-loop.js';
import { initTrainingBackend, positiveNumberFlag, wholeNumberFlag } from './script-setup.js';

/** Steps per printed line. */
const REPORT_EVERY = 50;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { steps: { type: 'string' }, 'learning-rate': { type: 'string' } } });
  const steps = wholeNumberFlag(values.steps, 'steps', 400);
  const learningRate = positiveNumberFlag(values['learning-rate'], 'learning-rate', DEMO_RECIPE.learningRate);
  console.log(`backend: ${await initTrainingBackend()}`);

  const config = demoConfig();
  const clips = steps * DEMO_RECIPE.batchSize; // each drawn once
  const data = movingDiscSet(DEMO_RECIPE.seed, clips, { frames: config.num_frames, imageSize: config.image_size, patchSize: config.patch_size });
  const trainable = trainableModel(config, initialStoredWeights(config, DEMO_RECIPE.seed, { temporalShiftHeads: DEMO_RECIPE.temporalShiftHeads }));
  console.log(`probe: ${clips} moving-disc clips (half left, half right), ${steps} steps of ${DEMO_RECIPE.batchSize}, peak learning rate ${learningRate}`);

  let window: StepReport[] = [];
  const reports = await trainModel(trainable, data, { ...DEMO_RECIPE, steps, learningRate, frames: config.num_frames, normalization: resolveNormalization(undefined) }, (report) => {
    window.push(report);
    if (report.step % REPORT_EVERY !== 0 && report.step !== report.steps) return;
    console.log(`steps ${window[0]!.step}–${report.step}: unseen-clip accuracy ${percent(window)}, class loss ${mean(window.map((entry) => entry.classificationLoss)).toFixed(3)}, ${report.elapsedSeconds.toFixed(0)} s`);
    window = [];
  });
  const lastHundred = reports.slice(-100);
  console.log(`last ${lastHundred.length} steps: unseen-clip accuracy ${percent(lastHundred)} (chance 50 %)`);
  trainable.dispose();
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

function percent(reports: readonly StepReport[]): string {
  return `${(mean(reports.map((report) => report.accuracy)) * 100).toFixed(1)} %`;
}


main()
  .then(() => {
    shutdownBackend();
    process.exit(0); // wasm's pthread pool keeps Node alive
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
