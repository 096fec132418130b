/**
 * `npm run eval:demo`: how good the demo model is on a video it never saw. Generates a held-out
 * synthetic video (seed 9001, 10 minutes, the generator's default plan), analyzes it with the demo
 * model exactly as `longview analyze` does, and prints
 *   - frame accuracy, edit score and F1@{10,25,50} against the generator's truth (src/evaluation);
 *   - the heatmap's mass inside the actor's box, mean over windows (src/evaluation/heatmap-mass.ts);
 *   - window accuracy and a confusion table (each window against the activity covering ≥ 75 % of it),
 *     to see which activities are confused;
 * then writes the numbers into the model card (README.md) between its metric markers.
 *
 * Flags: --seed N, --seconds S, --model <folder>, --cache <folder>, --no-card.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeVideo } from '../analysis/analyze.js';
import { buildAnalysisResult } from '../analysis/result.js';
import { DEFAULT_SEGMENTATION } from '../analysis/segments.js';
import { evaluateFiles, type EvaluationReport } from '../evaluation/evaluate-results.js';
import { boxInInput, heatmapMassInBox, type InputRectangle } from '../evaluation/heatmap-mass.js';
import { parseResult, readResultFile } from '../evaluation/result-file.js';
import { demoModelPath } from '../models/demo-model.js';
import { ACTIVITIES } from '../synthetic/activities.js';
import { GENERATOR_VERSION, generateVideo, type BoxesFile } from '../synthetic/generate-video.js';
import { planActivities } from '../synthetic/plan.js';
import { clipLabel } from './clip-labels.js';
import { withMetrics } from './model-card.js';
import { wholeNumberFlag } from './script-setup.js';

export const HELD_OUT_SEED = 9001;
export const HELD_OUT_SECONDS = 600;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, seconds: { type: 'string' }, model: { type: 'string' }, cache: { type: 'string' }, 'no-card': { type: 'boolean' } } });
  const seed = wholeNumberFlag(values.seed, 'seed', HELD_OUT_SEED);
  const seconds = wholeNumberFlag(values.seconds, 'seconds', HELD_OUT_SECONDS);
  const modelPath = resolve(values.model ?? demoModelPath());
  const cache = resolve(values.cache ?? join(os.tmpdir(), 'longview-demo-eval'));
  const started = performance.now();

  const name = `heldout-${seed}-${seconds}s-g${GENERATOR_VERSION}`;
  const videoPath = join(cache, `${name}.mp4`);
  const truthPath = join(cache, `${name}.truth.json`);
  const boxesPath = join(cache, `${name}.boxes.json`);
  if (!existsSync(videoPath) || !existsSync(truthPath) || !existsSync(boxesPath)) {
    console.log(`generating ${videoPath} (seed ${seed}, ${seconds} s)…`);
    await generateVideo({ path: videoPath, seed, durationSeconds: seconds, createdAt: new Date(0) });
  }

  let lastReport = 0;
  const run = await analyzeVideo(
    { videoPath, modelPath, cacheDirectory: join(cache, 'store'), resume: true },
    {
      onEvent: (event) => {
        if (event.type === 'window' && performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          console.log(`  analyzed up to ${event.window.endSeconds.toFixed(0)} s`);
        }
      },
    },
  );
  const result = buildAnalysisResult(run, DEFAULT_SEGMENTATION);
  const scores = evaluateFiles(parseResult(JSON.stringify(result.document), 'analysis'), readResultFile(truthPath));

  const boxes = (JSON.parse(readFileSync(boxesPath, 'utf8')) as BoxesFile).boxes;
  const masses = run.windows.map((window) =>
    heatmapMassInBox({ heatmap: window.heatmap, frameTimes: window.frameTimes, boxes, fps: 30, videoWidth: run.video.width, videoHeight: run.video.height, imageSize: run.sampling.imageSize }),
  );
  const heatmapMass = masses.reduce((sum, mass) => sum + mass, 0) / Math.max(1, masses.length);
  // The best any heatmap on this grid could score: every frame's mass on the one cell the box covers most.
  const grid = run.sampling.imageSize / (run.model.description.config.patch_size);
  const ceilings = run.windows.map((window) => {
    const shares = window.frameTimes.map((time) => bestCellShare(boxInInput(boxes[Math.min(boxes.length - 1, Math.round(time * 30))]!, run.video.width, run.video.height, run.sampling.imageSize), run.sampling.imageSize, grid));
    return shares.reduce((sum, share) => sum + share, 0) / Math.max(1, shares.length);
  });
  const heatmapCeiling = ceilings.reduce((sum, value) => sum + value, 0) / Math.max(1, ceilings.length);

  const plan = planActivities(seed, seconds);
  const confusion = ACTIVITIES.map(() => new Array<number>(ACTIVITIES.length).fill(0));
  for (const window of run.windows) {
    const truth = clipLabel(plan, window.startSeconds, window.endSeconds);
    if (truth === undefined) continue;
    const predicted = window.logits.indexOf(Math.max(...window.logits));
    confusion[truth]![predicted]! += 1;
  }
  const labelled = confusion.flat().reduce((sum, count) => sum + count, 0);
  const windowAccuracy = confusion.reduce((sum, row, index) => sum + row[index]!, 0) / Math.max(1, labelled);

  const metrics = metricsMarkdown({ seed, seconds, scores, heatmapMass, heatmapCeiling, grid, windowAccuracy, labelled, windows: run.windows.length, confusion, backend: run.backend });
  console.log(metrics);
  const reused = run.computedNow === 0 ? ' (every window reused from the analysis store)' : '';
  console.log(`evaluated in ${((performance.now() - started) / 1000).toFixed(0)} s${reused}`);
  if (values['no-card'] !== true && resolve(modelPath) === resolve(demoModelPath())) {
    const cardPath = join(modelPath, 'README.md');
    writeFileSync(cardPath, withMetrics(readFileSync(cardPath, 'utf8'), metrics));
    console.log(`updated ${cardPath}`);
  }
}

interface MetricFacts {
  seed: number;
  seconds: number;
  scores: EvaluationReport;
  heatmapMass: number;
  heatmapCeiling: number;
  grid: number;
  windowAccuracy: number;
  labelled: number;
  windows: number;
  confusion: number[][];
  backend: string;
}

function metricsMarkdown(facts: MetricFacts): string {
  const { scores } = facts;
  const rows = facts.confusion.map((row, index) => `| ${ACTIVITIES[index]} | ${row.join(' | ')} |`);
  return `Held-out video: seed ${facts.seed}, ${facts.seconds} s, the generator's default plan (segments of 3–40 s),
analyzed as \`longview analyze\` does (16-frame windows every 8 sampled frames, default segmentation), ${facts.backend}.

| metric | value |
|---|---|
| frame accuracy | ${scores.frameAccuracy.toFixed(1)} % |
| edit score | ${scores.edit.toFixed(1)} |
| F1@10 / F1@25 / F1@50 | ${scores.f1.at10.toFixed(1)} / ${scores.f1.at25.toFixed(1)} / ${scores.f1.at50.toFixed(1)} |
| segments | ${scores.predictedSegments} predicted, ${scores.trueSegments} true |
| heatmap mass inside the actor's box (mean over ${facts.windows} windows) | ${(facts.heatmapMass * 100).toFixed(1)} % |
| window accuracy (${facts.labelled} windows ≥ 75 % one activity) | ${(facts.windowAccuracy * 100).toFixed(1)} % |

Confusion of those windows (rows: truth, columns: predicted, in label order):

| truth \\ predicted | ${ACTIVITIES.map((label) => label).join(' | ')} |
|---|${ACTIVITIES.map(() => '---').join('|')}|
${rows.join('\n')}

The heatmap number is measured as src/evaluation/heatmap-mass.ts defines it: a grid cell counts in proportion to
how much of it the box covers, and frames where the actor is hidden (blinking) count 0. On this model's
${facts.grid} × ${facts.grid} grid that caps what any heatmap can reach: all of every frame's mass on the cell the box
covers most would score ${(facts.heatmapCeiling * 100).toFixed(1)} % on this video.`;
}

/** The largest share of one grid cell the rectangle covers (0 for an empty rectangle). */
function bestCellShare(rectangle: InputRectangle, imageSize: number, grid: number): number {
  const cell = imageSize / grid;
  const covered = (from: number, to: number, index: number): number => Math.max(0, Math.min(to, (index + 1) * cell) - Math.max(from, index * cell)) / cell;
  let best = 0;
  for (let row = 0; row < grid; row++) for (let column = 0; column < grid; column++) best = Math.max(best, covered(rectangle.top, rectangle.bottom, row) * covered(rectangle.left, rectangle.right, column));
  return best;
}


main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
