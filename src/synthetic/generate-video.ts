/**
 * One synthetic video on disk: renders every frame of a planned scene, encodes them with ffmpeg
 * (H.264 MP4) and writes the ground truth beside it:
 *   <name>.mp4         the video (written to a temporary name, renamed when ffmpeg succeeded)
 *   <name>.truth.json  a Longview JSON export document of the plan (truth-document.ts)
 *   <name>.boxes.json  { fps, width, height, boxes: [[x, y, width, height], …] }, one box per frame
 * Deterministic: the same seed and sizes give the same frames, plan and boxes.
 */
import { renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';
import { LongviewError } from '../shared/errors.js';
import { locateTools } from '../video/tools.js';
import { startEncoder } from './encoder.js';
import { planActivities, type PlannedActivity } from './plan.js';
import { createScene, type ActorBox } from './render.js';
import { truthDocument } from './truth-document.js';

/**
 * Bumped whenever a change to the generator changes its frames or truth for a seed, so caches of
 * generated videos (training, evaluation) never serve an older generator's output.
 */
export const GENERATOR_VERSION = 2;

export interface GenerateVideoOptions {
  /** The MP4 to write. */
  path: string;
  seed: number;
  durationSeconds: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Defaults to planActivities(seed, durationSeconds). */
  plan?: PlannedActivity[];
  /** Video path written into the truth document; defaults to the MP4's absolute path. */
  documentVideoPath?: string;
  /** The truth document's createdAt; defaults to now. */
  createdAt?: Date;
  signal?: AbortSignal;
}

export interface GeneratedVideo {
  path: string;
  plan: PlannedActivity[];
  /** The actor's box in every frame. */
  boxes: ActorBox[];
  truthPath: string;
  boxesPath: string;
}

export interface BoxesFile {
  fps: number;
  width: number;
  height: number;
  /** Per frame: [x, y, width, height], pixels. */
  boxes: [number, number, number, number][];
}

export async function generateVideo(options: GenerateVideoOptions): Promise<GeneratedVideo> {
  const width = options.width ?? 288;
  const height = options.height ?? 288;
  const fps = options.fps ?? 30;
  checkOptions(options, width, height, fps);
  const path = resolve(options.path);
  const plan = options.plan ?? planActivities(options.seed, options.durationSeconds);
  const frameCount = Math.max(1, Math.round(options.durationSeconds * fps));
  const scene = createScene(options.seed, width, height, plan);

  const temporaryPath = join(dirname(path), `.${basename(path, extname(path))}.${process.pid}.partial.mp4`);
  const encoder = startEncoder({ ffmpegPath: locateTools().ffmpeg.path, width, height, fps, outputPath: temporaryPath });
  const boxes: ActorBox[] = [];
  try {
    for (let frameIndex = 0; frameIndex < frameCount; frameIndex += 1) {
      if (options.signal?.aborted) throw new LongviewError('usage', 'cancelled', `Generating ${path} was cancelled.`);
      // A fresh buffer per frame: the pipe may still hold the previous one.
      const frame = new Uint8Array(width * height * 3);
      boxes.push(scene.renderFrame(frameIndex, fps, frame));
      await encoder.write(frame);
    }
    await encoder.finish();
    renameSync(temporaryPath, path);
  } catch (error) {
    encoder.abort();
    rmSync(temporaryPath, { force: true });
    throw error;
  }

  const stem = join(dirname(path), basename(path, extname(path)));
  const truthPath = `${stem}.truth.json`;
  const boxesPath = `${stem}.boxes.json`;
  const document = truthDocument({
    videoPath: options.documentVideoPath ?? path,
    sizeBytes: statSync(path).size,
    seed: options.seed,
    width,
    height,
    fps,
    frameCount,
    plan,
    createdAt: options.createdAt ?? new Date(),
  });
  writeFileAtomic(truthPath, `${JSON.stringify(document, null, 2)}\n`, { keepBackup: false });
  writeFileAtomic(boxesPath, `${boxesJson({ fps, width, height, boxes: boxes.map((box) => [box.x, box.y, box.width, box.height]) })}\n`, { keepBackup: false });
  return { path, plan, boxes, truthPath, boxesPath };
}

/** One box per line: readable in a diff, a fraction of pretty-printing's size. */
function boxesJson(file: BoxesFile): string {
  const lines = file.boxes.map((box) => `    ${JSON.stringify(box)}`);
  return `{\n  "fps": ${file.fps},\n  "width": ${file.width},\n  "height": ${file.height},\n  "boxes": [\n${lines.join(',\n')}\n  ]\n}`;
}

function checkOptions(options: GenerateVideoOptions, width: number, height: number, fps: number): void {
  const problems: string[] = [];
  if (!Number.isFinite(options.seed)) problems.push(`the seed must be a finite number, not ${options.seed}`);
  if (!Number.isFinite(options.durationSeconds) || options.durationSeconds <= 0) problems.push(`the duration must be a positive number of seconds, not ${options.durationSeconds}`);
  // libx264 with yuv420p needs even sizes.
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 16 || value > 4096 || value % 2 !== 0) problems.push(`the ${name} must be an even whole number of pixels in 16..4096, not ${value}`);
  }
  if (!Number.isFinite(fps) || fps <= 0 || fps > 240) problems.push(`the frame rate must be in (0, 240], not ${fps}`);
  if (options.plan !== undefined && options.plan.length === 0) problems.push('the plan has no activities');
  if (problems.length > 0) throw new LongviewError('usage', 'bad-synthetic-video', `Cannot generate ${options.path}: ${problems.join('; ')}.`);
}
