/**
 * `npm run bench:model`: speed and memory of the TimeSformer per available backend.
 *
 * A TimeSformer-Base-sized model (D 768, 12 layers, 12 heads, MLP 3072, 224 px, patch 16, 400
 * classes) with random weights runs on 8 frames and on one 96-frame window (time embeddings
 * interpolated, as for a real 8-frame checkpoint on Longview's windows), with and without the
 * rollout heatmap. The weights go through a real ~485 MB safetensors file and `loadModel`, so the
 * load's time and peak memory are measured too (the loader must never hold two copies). Each
 * backend runs in its own process so peak RSS is its own. It prints numbers; it asserts nothing.
 *
 *   node dist/test/bench/model.bench.js [--backends wasm,cpu] [--repeats 3] [--skip-96]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type TimesformerConfig } from '../../src/model/config.js';
import { initBackend, shutdownBackend, type BackendName } from '../../src/model/backend.js';
import { forwardFlops } from '../../src/model/flops.js';
import { TimeSformer } from '../../src/model/timesformer.js';
import { loadModel } from '../../src/model/load-model.js';
import { dividedRollout, type DividedHeadMeans } from '../../src/model/rollout.js';
import { writeRandomCheckpoint } from '../helpers/random-checkpoint.js';

const ALL_BACKENDS: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

interface CaseResult {
  label: string;
  frames: number;
  layers: number;
  milliseconds: number[];
  rolloutMilliseconds: number[];
  gigaflops: number;
}

interface LoadResult {
  fileMiB: number;
  milliseconds: number;
  /** RSS just before loading, and the process's peak RSS right after (which the load set). */
  rssBeforeMiB: number;
  peakAfterMiB: number;
}

interface RolloutResult {
  frames: number;
  milliseconds: number;
  /** Head-averaged attention kept per forward for the rollout, all layers. */
  keptMiB: number;
}

interface ChildReport {
  backend: string;
  rollout?: RolloutResult[];
  load?: LoadResult;
  description?: string;
  unavailable?: string;
  cases: CaseResult[];
  peakRssMiB: number;
  parameters: number;
}

function baseConfig(layers: number): TimesformerConfig {
  return {
    ...DEFAULT_CONFIG,
    num_hidden_layers: layers,
    id2label: Object.fromEntries(Array.from({ length: 400 }, (_, index) => [index, `class_${index}`])),
  };
}


const MiB = 1024 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeForward(model: TimeSformer, frames: number, rollout: boolean): Promise<number> {
  const input = tf.randomNormal([1, frames, 3, 224, 224], 0, 1, 'float32', 7);
  const started = performance.now();
  const output = model.forward(input, { outputRollout: rollout });
  await output.logits.data();
  if (output.rollout !== undefined) await output.rollout.data();
  const elapsed = performance.now() - started;
  output.dispose();
  input.dispose();
  return elapsed;
}

/**
 * The rollout's propagation alone, on random row-stochastic head means of TimeSformer-Base's
 * shapes (12 layers, 14×14 patches): the end-to-end "with rollout" difference is inside the
 * run-to-run noise of a forward pass.
 */
async function timeRollout(frames: number, layers: number): Promise<RolloutResult> {
  const patches = 196;
  const means: DividedHeadMeans[] = Array.from({ length: layers }, (_, layer) =>
    tf.tidy(() => ({
      temporal: tf.softmax(tf.randomNormal([patches, frames, frames], 0, 1, 'float32', layer)), // [N, T, T]
      spatial: tf.softmax(tf.randomNormal([frames, patches + 1, patches + 1], 0, 1, 'float32', layer + 100)), // [T, P, P]
    })),
  );
  const milliseconds: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const heatmap = dividedRollout(means, 14, 14);
    await heatmap.data();
    milliseconds.push(performance.now() - started);
    heatmap.dispose();
  }
  tf.dispose(means.flatMap((mean) => [mean.temporal, mean.spatial]));
  const keptMiB = (layers * 4 * (patches * frames * frames + frames * (patches + 1) ** 2)) / MiB;
  return { frames, milliseconds: median(milliseconds), keptMiB };
}

async function child(backend: BackendName, repeats: number, skip96: boolean): Promise<ChildReport> {
  let description: string;
  try {
    const report = await initBackend({ backend });
    description = `${report.name}${report.threads === undefined ? '' : `, ${report.threads} thread(s)`}${report.simd ? ', SIMD' : ''}${report.device === undefined ? '' : `, ${report.device}`}`;
  } catch (error) {
    return { backend, unavailable: (error as Error).message, cases: [], peakRssMiB: 0, parameters: 0 };
  }
  // The pure-JS backend needs about a minute per layer at 8 frames: measure one layer there.
  const layers = backend === 'cpu' ? 1 : 12;
  const config = baseConfig(layers);
  const folder = mkdtempSync(join(tmpdir(), 'longview-bench-'));
  let model: TimeSformer;
  let load: LoadResult;
  try {
    const fileMiB = statSync(writeRandomCheckpoint(folder, config)).size / MiB;
    const rssBeforeMiB = process.memoryUsage().rss / MiB;
    const loadStarted = performance.now();
    model = loadModel(folder).model;
    load = { fileMiB, milliseconds: performance.now() - loadStarted, rssBeforeMiB, peakAfterMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const cases: CaseResult[] = [];
  const plan: { frames: number; runs: number }[] = [{ frames: 8, runs: backend === 'cpu' ? 1 : repeats }];
  if (!skip96 && backend !== 'cpu') plan.push({ frames: 96, runs: 1 });

  await timeForward(model, 8, false); // warm-up: kernel compilation, weight packing
  for (const { frames, runs } of plan) {
    const milliseconds: number[] = [];
    const rolloutMilliseconds: number[] = [];
    for (let run = 0; run < runs; run++) {
      milliseconds.push(await timeForward(model, frames, false));
      rolloutMilliseconds.push(await timeForward(model, frames, true));
    }
    process.stderr.write(`  ${backend}: ${frames} frames done (${milliseconds.map((ms) => ms.toFixed(0)).join(', ')} ms)\n`);
    cases.push({
      label: `${frames} frames × 224 px, ${layers} layer${layers === 1 ? '' : 's'}`,
      frames,
      layers,
      milliseconds,
      rolloutMilliseconds,
      gigaflops: forwardFlops(config, { frames, height: 224, width: 224 }) / 1e9,
    });
  }
  const rollout = [await timeRollout(8, 12)];
  if (backend !== 'cpu') rollout.push(await timeRollout(96, 12));
  const parameters = model.parameterCount();
  model.dispose();
  shutdownBackend();
  return { backend, description, load, rollout, cases, peakRssMiB: process.resourceUsage().maxRSS / 1024, parameters };
}

function printReport(report: ChildReport): void {
  if (report.unavailable !== undefined) {
    console.log(`\n${report.backend}: unavailable (${report.unavailable})`);
    return;
  }
  console.log(`\n${report.backend}: ${report.description}; ${(report.parameters / 1e6).toFixed(1)} M parameters; peak RSS ${report.peakRssMiB.toFixed(0)} MiB`);
  if (report.load !== undefined) {
    const { fileMiB, milliseconds, rssBeforeMiB, peakAfterMiB } = report.load;
    console.log(
      `  load ${fileMiB.toFixed(0)} MiB safetensors: ${(milliseconds / 1000).toFixed(1)} s; RSS ${rssBeforeMiB.toFixed(0)} → peak ${peakAfterMiB.toFixed(0)} MiB ` +
        `(+${(peakAfterMiB - rssBeforeMiB).toFixed(0)} MiB = ${((peakAfterMiB - rssBeforeMiB) / fileMiB).toFixed(2)}× the file)`,
    );
  }
  for (const result of report.cases) {
    const plain = median(result.milliseconds);
    const withRollout = median(result.rolloutMilliseconds);
    const extrapolated = result.layers === 12 ? '' : `  (×12 layers ≈ ${((plain * 12) / 1000).toFixed(1)} s per 12-layer forward, extrapolated)`;
    console.log(
      `  ${result.label.padEnd(30)} ${plain.toFixed(0).padStart(8)} ms/forward  ${(result.gigaflops / (plain / 1000)).toFixed(1).padStart(6)} GFLOP/s  ` +
        `(${result.gigaflops.toFixed(1)} GFLOP, runs: ${result.milliseconds.map((ms) => ms.toFixed(0)).join(', ')})  ` +
        `with rollout ${withRollout.toFixed(0)} ms${extrapolated}`,
    );
  }
  const measured = report.cases.find((c) => c.frames === 8);
  if (measured !== undefined && !report.cases.some((c) => c.frames === 96)) {
    const rate = measured.gigaflops / (median(measured.milliseconds) / 1000); // GFLOP/s at 8 frames
    const window = forwardFlops(baseConfig(12), { frames: 96, height: 224, width: 224 }) / 1e9;
    console.log(`  96 frames × 224 px, 12 layers: not run; ≈ ${(window / rate / 60).toFixed(0)} min at the 8-frame rate (${window.toFixed(0)} GFLOP), an estimate`);
  }
  for (const result of report.rollout ?? []) {
    const forward = report.cases.find((c) => c.frames === result.frames && c.layers === 12);
    const share = forward === undefined ? '' : ` (${((result.milliseconds / median(forward.milliseconds)) * 100).toFixed(2)}% of a forward)`;
    console.log(`  rollout propagation alone, ${result.frames} frames, 12 layers: ${result.milliseconds.toFixed(0)} ms${share}; head means kept: ${result.keptMiB.toFixed(1)} MiB`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      backends: { type: 'string', default: ALL_BACKENDS.join(',') },
      repeats: { type: 'string', default: '3' },
      'skip-96': { type: 'boolean', default: false },
    },
  });
  const repeats = Math.max(1, Number(values.repeats));
  if (values.child !== undefined) {
    const report = await child(values.child as BackendName, repeats, values['skip-96'] === true);
    process.stdout.write(`BENCH ${JSON.stringify(report)}\n`);
    return;
  }
  console.log(`Longview model benchmark: node ${process.version}, ${(await import('node:os')).availableParallelism()} cores`);
  for (const backend of values.backends!.split(',') as BackendName[]) {
    const args = [fileURLToPath(import.meta.url), '--child', backend, '--repeats', String(repeats), ...(values['skip-96'] ? ['--skip-96'] : [])];
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
    const line = result.stdout.split('\n').find((text) => text.startsWith('BENCH '));
    if (line === undefined) {
      console.log(`\n${backend}: failed (exit ${result.status})`);
      continue;
    }
    printReport(JSON.parse(line.slice('BENCH '.length)) as ChildReport);
  }
}

await main();
