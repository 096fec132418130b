/**
 * `npm run train:demo`: trains the demo TimeSformer and writes resources/models/longview-demo/
 * (config.json, model.safetensors, README.md). Seeded and reproducible; prints progress with an
 * ETA and the measured time at the end.
 *
 * Flags (for quick checks; the defaults are the recipe): --steps N, --videos N, --out <folder>,
 * --cache <folder> (where generated training videos are kept, default <tmp>/longview-demo-training).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { shutdownBackend } from '../model/backend.js';
import { demoModelPath } from '../models/demo-model.js';
import { resolveNormalization } from '../analysis/sampling.js';
import { checkpointConfigJson, writeCheckpoint } from './checkpoint.js';
import { DEMO_ARCHITECTURE, DEMO_FRAME_STRIDE, DEMO_LABELS, DEMO_RECIPE, DEMO_SAMPLING_FPS, demoConfig, type TrainingRecipe } from './demo-recipe.js';
import { initialStoredWeights, trainableModel } from './initial-weights.js';
import { modelCard } from './model-card.js';
import { trainModel, type StepReport } from './train-loop.js';
import { buildTrainingSet } from './training-set.js';
import { initTrainingBackend, wholeNumberFlag } from './script-setup.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { steps: { type: 'string' }, videos: { type: 'string' }, out: { type: 'string' }, cache: { type: 'string' } } });
  const recipe: TrainingRecipe = {
    ...DEMO_RECIPE,
    steps: wholeNumberFlag(values.steps, 'steps', DEMO_RECIPE.steps),
    videoSeeds: DEMO_RECIPE.videoSeeds.slice(0, wholeNumberFlag(values.videos, 'videos', DEMO_RECIPE.videoSeeds.length)),
  };
  const out = resolve(values.out ?? demoModelPath());
  const cache = resolve(values.cache ?? join(os.tmpdir(), 'longview-demo-training'));
  const started = performance.now();

  const backendText = await initTrainingBackend();
  console.log(`backend: ${backendText}`);

  const config = demoConfig();
  const sampling = { imageSize: config.image_size, patchSize: config.patch_size, frames: config.num_frames, frameStride: DEMO_FRAME_STRIDE, samplingFps: DEMO_SAMPLING_FPS };
  console.log(`data: ${recipe.videoSeeds.length} videos of ${recipe.videoSeconds} s (cache ${cache})`);
  const data = await buildTrainingSet(
    { seeds: recipe.videoSeeds, seconds: recipe.videoSeconds, planMinSeconds: recipe.planMinSeconds, planMaxSeconds: recipe.planMaxSeconds, cacheFolder: cache },
    sampling,
    DEMO_LABELS.length,
    (line) => console.log(`  ${line}`),
  );
  const dataSeconds = (performance.now() - started) / 1000;
  console.log(`data ready in ${dataSeconds.toFixed(0)} s: ${data.examples.length} clips; per class ${data.classCounts.join(' / ')}`);

  const trainable = trainableModel(config, initialStoredWeights(config, recipe.seed, { temporalShiftHeads: recipe.temporalShiftHeads }));
  console.log(`model: ${trainable.model.parameterCount()} parameters; ${recipe.steps} steps of ${recipe.batchSize} clips`);
  const reports = await trainModel(
    trainable,
    data,
    { ...recipe, frames: config.num_frames, normalization: resolveNormalization(undefined) },
    (report) => {
      if (report.step % 5 === 0 || report.step === 1 || report.step === report.steps) console.log(progressLine(report));
    },
  );
  const trainingSeconds = (performance.now() - started) / 1000;
  const load = os.loadavg().map((value) => value.toFixed(2)).join(', ');

  const sampled = { frame_stride: DEMO_FRAME_STRIDE, sampling_fps: DEMO_SAMPLING_FPS };
  writeCheckpoint(out, trainable.model, sampled, { 'longview-recipe': JSON.stringify(recipe) });
  const last = reports.slice(-20);
  writeFileSync(
    join(out, 'README.md'),
    modelCard({
      recipe,
      parameterCount: trainable.model.parameterCount(),
      architecture: Object.fromEntries(Object.entries(checkpointConfigJson(config, sampled)).filter(([key]) => key in DEMO_ARCHITECTURE)),
      frameStride: DEMO_FRAME_STRIDE,
      trainingClips: data.examples.length,
      classCounts: Object.fromEntries(DEMO_LABELS.map((label, index) => [label, data.classCounts[index]!])),
      trainingSeconds,
      dataSeconds,
      load,
      backend: backendText,
      finalTrainingAccuracy: last.reduce((sum, report) => sum + report.accuracy, 0) / Math.max(1, last.length),
    }),
  );
  console.log(`wrote ${out}: ${(trainingSeconds / 60).toFixed(1)} min in all (data ${dataSeconds.toFixed(0)} s); load averages ${load}`);
  trainable.dispose();
}

function progressLine(report: StepReport): string {
  const remaining = (report.elapsedSeconds / report.step) * (report.steps - report.step);
  return [
    `step ${report.step}/${report.steps}`,
    `loss ${report.loss.toFixed(3)} (class ${report.classificationLoss.toFixed(3)}, heatmap ${report.heatmapLoss.toFixed(3)}, tokens ${report.tokenLoss.toFixed(3)})`,
    `batch accuracy ${(report.accuracy * 100).toFixed(0)} %`,
    `lr ${report.learningRate.toExponential(2)}`,
    `${minutes(report.elapsedSeconds)} elapsed, ${minutes(remaining)} left`,
  ].join('  ');
}


/** m:ss, rounded to the second first so 59.6 s reads 1:00, not 0:60. */
function minutes(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

main()
  .then(() => {
    shutdownBackend();
    // wasm's pthread pool keeps Node alive (see ../shared/notes/cpu-backends.md).
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
