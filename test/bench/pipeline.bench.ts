/**
 * `npm run bench:pipeline`: the analysis pipeline end to end on generated videos (prints numbers,
 * asserts nothing).
 *
 * For a 2-minute and a 20-minute 640×360 H.264 video it measures:
 *   - decode only: ffmpeg alone with exactly the analysis's arguments and filters, output drained;
 *   - full analysis: probe, decode, windows, inference in the worker, fsynced store, segments;
 *   - their ratio, windows per second, speed in × real time, and the peak RSS of the analysis
 *     (ffmpeg runs in its own process and is not counted), which must not grow with the video;
 *   - the forward passes' own time and the startup: analysis ≈ startup + max(decode, forwards)
 *     when decoding overlaps inference, ≈ their sum when it does not.
 * The model is a small random-weight TimeSformer at 224 px (so decoding and resizing are the real
 * thing) run with TimeSformer-L's sampling, 96 frames every 4th at 30 fps: inference is cheap here
 * on purpose, so the numbers show the pipeline's own cost. A real 96-frame Base window costs what
 * `npm run bench:model` prints (minutes on a CPU), which then dominates everything.
 *
 *   node dist/test/bench/pipeline.bench.js [--minutes 2,20] [--keep]
 *
 * Each measurement runs in a fresh child process so that peak memory is its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type TimesformerConfig } from '../../src/model/config.js';
import { analyzeVideo } from '../../src/analysis/analyze.js';
import { buildAnalysisResult } from '../../src/analysis/result.js';
import { resolveSampling } from '../../src/analysis/sampling.js';
import { DEFAULT_SEGMENTATION } from '../../src/analysis/segments.js';
import { decodeArguments } from '../../src/video/decode-arguments.js';
import { locateTools } from '../../src/video/tools.js';
import { writeRandomCheckpoint } from '../helpers/random-checkpoint.js';

const MiB = 1024 * 1024;
const WINDOW_FRAMES = 96;
const FRAME_STRIDE = 4;

const BENCH_CONFIG: TimesformerConfig = {
  ...DEFAULT_CONFIG,
  num_frames: 8,
  image_size: 224,
  patch_size: 16,
  hidden_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  intermediate_size: 128,
  id2label: Object.fromEntries(Array.from({ length: 20 }, (_, index) => [index, `activity_${index}`])),
};

interface Measurement {
  seconds: number;
  peakRssMiB: number;
  windows?: number;
  segments?: number;
  bytes?: number;
  /** Sum of the forward passes' wall time in the worker, seconds. */
  computeSeconds?: number;
  /** From the start until the model was loaded (probe, checksum, backend, weights), seconds. */
  startupSeconds?: number;
}

/** Samples this process's RSS every 50 ms while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRssMiB: peak / MiB };
  } finally {
    clearInterval(timer);
  }
}

async function decodeOnly(video: string): Promise<Measurement> {
  const tools = locateTools();
  const sampling = resolveSampling({ modelFrames: BENCH_CONFIG.num_frames, imageSize: BENCH_CONFIG.image_size, windowFrames: WINDOW_FRAMES, frameStride: FRAME_STRIDE });
  const started = performance.now();
  const bytes = await new Promise<number>((done, fail) => {
    const child = spawn(tools.ffmpeg.path, decodeArguments(resolve(video), { samplingFps: sampling.samplingFps, frameStride: sampling.frameStride, imageSize: sampling.imageSize }), { stdio: ['ignore', 'pipe', 'pipe'] });
    let count = 0;
    child.stdout.on('data', (chunk: Buffer) => (count += chunk.length));
    child.stderr.resume();
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(count) : fail(new Error(`ffmpeg exited with ${code}`))));
  });
  return { seconds: (performance.now() - started) / 1000, peakRssMiB: process.memoryUsage.rss() / MiB, bytes };
}

async function fullAnalysis(video: string, model: string, cacheDirectory: string): Promise<Measurement> {
  const started = performance.now();
  let computeSeconds = 0;
  let startupSeconds = 0;
  const { value, peakRssMiB } = await withPeakRss(async () => {
    const run = await analyzeVideo(
      { videoPath: video, modelPath: model, windowFrames: WINDOW_FRAMES, frameStride: FRAME_STRIDE, cacheDirectory, resume: false },
      {
        onEvent: (event) => {
          if (event.type === 'window') computeSeconds += event.computeSeconds;
          if (event.type === 'loaded') startupSeconds = (performance.now() - started) / 1000;
        },
      },
    );
    return { run, result: buildAnalysisResult(run, DEFAULT_SEGMENTATION) };
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, peakRssMiB, windows: value.run.windows.length, segments: value.result.segments.length, computeSeconds, startupSeconds };
}

/** Child mode: one measurement, printed as JSON on the last line. */
async function child(kind: string, video: string, model: string, cacheDirectory: string): Promise<void> {
  const measurement = kind === 'decode' ? await decodeOnly(video) : await fullAnalysis(video, model, cacheDirectory);
  console.log(JSON.stringify(measurement));
}

function measure(kind: 'decode' | 'analysis', video: string, model: string, cacheDirectory: string): Measurement {
  const script = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, [script, '--child', kind, '--video', video, '--model', model, '--cache', cacheDirectory], { encoding: 'utf8', maxBuffer: 64 * MiB });
  if (result.status !== 0) throw new Error(`${kind} on ${video} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measurement;
}

function makeVideo(path: string, minutes: number): void {
  const seconds = minutes * 60;
  const source = `testsrc2=size=640x360:rate=30:duration=${seconds}`;
  const result = spawnSync(locateTools().ffmpeg.path, ['-nostdin', '-y', '-v', 'error', '-f', 'lavfi', '-i', source, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-pix_fmt', 'yuv420p', path]);
  if (result.status !== 0) throw new Error(`could not make ${path}: ${result.stderr.toString()}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      video: { type: 'string' },
      model: { type: 'string' },
      cache: { type: 'string' },
      minutes: { type: 'string', default: '2,20' },
      keep: { type: 'boolean' },
    },
  });
  if (values.child !== undefined) return child(values.child, values.video!, values.model!, values.cache!);

  const folder = mkdtempSync(join(tmpdir(), 'longview-pipeline-bench-'));
  try {
    const model = join(folder, 'model');
    mkdirSync(model);
    writeRandomCheckpoint(model, BENCH_CONFIG);
    console.log(`pipeline bench: 640×360 H.264 testsrc2 at 30 fps; windows ${WINDOW_FRAMES} frames × every ${FRAME_STRIDE}th (12.8 s, one every 6.4 s), 224 px;`);
    console.log(`model: random TimeSformer D=${BENCH_CONFIG.hidden_size}, ${BENCH_CONFIG.num_hidden_layers} layers (cheap on purpose: this measures the pipeline, not the model)\n`);
    console.log('video    decode-only   analysis   ratio   windows   windows/s   × real time   peak RSS (analysis)   forward passes   startup');
    for (const minutes of values.minutes.split(',').map(Number)) {
      const video = join(folder, `${minutes}min.mp4`);
      const made = performance.now();
      if (!existsSync(video)) makeVideo(video, minutes);
      const generation = (performance.now() - made) / 1000;
      const decode = measure('decode', video, model, join(folder, 'cache'));
      const analysis = measure('analysis', video, model, join(folder, `cache-${minutes}`));
      const duration = minutes * 60;
      console.log(
        [
          `${minutes} min`.padEnd(8),
          `${decode.seconds.toFixed(1)} s`.padStart(11),
          `${analysis.seconds.toFixed(1)} s`.padStart(10),
          `${(analysis.seconds / decode.seconds).toFixed(2)}×`.padStart(7),
          String(analysis.windows).padStart(9),
          (analysis.windows! / analysis.seconds).toFixed(2).padStart(11),
          `${(duration / analysis.seconds).toFixed(1)}×`.padStart(13),
          `${analysis.peakRssMiB.toFixed(0)} MiB`.padStart(21),
          `${analysis.computeSeconds!.toFixed(1)} s`.padStart(16),
          `${analysis.startupSeconds!.toFixed(1)} s`.padStart(9),
          `   (video made in ${generation.toFixed(0)} s; ${analysis.segments} segments)`,
        ].join(' '),
      );
    }
  } finally {
    if (values.keep === true) console.log(`kept ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
}

await main();
