/**
 * The training set: generated videos decoded at the demo sampling, every clip position with a
 * clear label (clip-labels.ts), and per sampled frame how much of each patch the actor covers
 * (for the heatmap loss). Videos are generated into a cache folder once and reused when already there
 * (same seed and length → same file; the generator is deterministic).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActorBox } from '../synthetic/render.js';
import { GENERATOR_VERSION, generateVideo } from '../synthetic/generate-video.js';
import { planActivities, type PlannedActivity } from '../synthetic/plan.js';
import { clipLabel } from './clip-labels.js';
import { decodeWholeVideo, type DecodedVideo } from './decoded-video.js';

export interface SamplingRecipe {
  imageSize: number;
  patchSize: number;
  frames: number;
  frameStride: number;
  samplingFps: number;
}

export interface TrainingVideo extends DecodedVideo {
  seed: number;
  /** [frameCount × patches]: share of each patch the actor's box covers (0..1), row-major patch grid. */
  actorPatches: Float32Array;
  /** Patches per side. */
  grid: number;
}

/** One clip: `frames` consecutive sampled frames of a video from `startFrame`, and its class. */
export interface ClipExample {
  video: number;
  startFrame: number;
  label: number;
}

export interface TrainingSet {
  videos: TrainingVideo[];
  examples: ClipExample[];
  /** Examples per class, ACTIVITIES order. */
  classCounts: number[];
}

export interface VideoRecipe {
  seeds: readonly number[];
  seconds: number;
  planMinSeconds: number;
  planMaxSeconds: number;
  /** Where generated videos are kept between runs. */
  cacheFolder: string;
}

export async function buildTrainingSet(videos: VideoRecipe, sampling: SamplingRecipe, classes: number, log: (line: string) => void = () => undefined): Promise<TrainingSet> {
  mkdirSync(videos.cacheFolder, { recursive: true });
  const decoded: TrainingVideo[] = [];
  const examples: ClipExample[] = [];
  const classCounts = new Array<number>(classes).fill(0);
  for (const seed of videos.seeds) {
    const plan = planActivities(seed, videos.seconds, { minSeconds: videos.planMinSeconds, maxSeconds: videos.planMaxSeconds });
    const name = `train-${seed}-${videos.seconds}s-g${GENERATOR_VERSION}`;
    const path = join(videos.cacheFolder, `${name}.mp4`);
    const boxesPath = join(videos.cacheFolder, `${name}.boxes.json`);
    let boxes: ActorBox[];
    if (existsSync(path) && existsSync(boxesPath)) {
      boxes = readBoxes(boxesPath);
    } else {
      boxes = (await generateVideo({ path, seed, durationSeconds: videos.seconds, plan, createdAt: new Date(0) })).boxes;
    }
    const video = await decodeWholeVideo(path, sampling);
    const index = decoded.length;
    decoded.push({ ...video, seed, grid: sampling.imageSize / sampling.patchSize, actorPatches: actorPatchMasks(video.seconds, boxes, 288, sampling) });
    for (const example of clipExamples(video.seconds, plan, sampling)) {
      examples.push({ video: index, ...example });
      classCounts[example.label]! += 1;
    }
    log(`video seed ${seed}: ${video.frameCount} sampled frames, ${examples.length} clips so far`);
  }
  return { videos: decoded, examples, classCounts };
}

/** Every clip start whose clip has a clear label. `seconds`: the sampled frames' timestamps. */
export function clipExamples(seconds: ArrayLike<number>, plan: readonly PlannedActivity[], sampling: SamplingRecipe): { startFrame: number; label: number }[] {
  const frameSeconds = sampling.frameStride / sampling.samplingFps;
  const examples: { startFrame: number; label: number }[] = [];
  for (let start = 0; start + sampling.frames <= seconds.length; start++) {
    const label = clipLabel(plan, seconds[start]!, seconds[start + sampling.frames - 1]! + frameSeconds);
    if (label !== undefined) examples.push({ startFrame: start, label });
  }
  return examples;
}

/**
 * Per sampled frame, how much of each patch of the model's grid the actor's box covers (0..1,
 * by area): the weights the evaluation's heatmap measure gives each cell (src/evaluation/
 * heatmap-mass.ts), so the heatmap loss trains exactly what is measured. The decoder scales the
 * square video to imageSize, so a patch is (videoSide / grid) video pixels wide. A frame where
 * the actor is hidden (an empty box) has no weight anywhere.
 */
export function actorPatchMasks(seconds: ArrayLike<number>, boxes: readonly ActorBox[], videoSide: number, sampling: SamplingRecipe, videoFps = 30): Float32Array {
  const grid = sampling.imageSize / sampling.patchSize;
  const patchSide = videoSide / grid;
  const masks = new Float32Array(seconds.length * grid * grid);
  const covered = (from: number, to: number, cell: number): number => Math.max(0, Math.min(to, (cell + 1) * patchSide) - Math.max(from, cell * patchSide)) / patchSide;
  for (let frame = 0; frame < seconds.length; frame++) {
    const box = boxes[Math.min(boxes.length - 1, Math.round(seconds[frame]! * videoFps))];
    if (box === undefined || box.width <= 0 || box.height <= 0) continue;
    for (let row = 0; row < grid; row++) {
      const rowShare = covered(box.y, box.y + box.height, row);
      if (rowShare === 0) continue;
      for (let column = 0; column < grid; column++) masks[frame * grid * grid + row * grid + column] = rowShare * covered(box.x, box.x + box.width, column);
    }
  }
  return masks;
}

function readBoxes(path: string): ActorBox[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { boxes: [number, number, number, number][] };
  return file.boxes.map(([x, y, width, height]) => ({ x, y, width, height }));
}
