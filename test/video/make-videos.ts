/**
 * Test helper (not a test): makes small videos with ffmpeg's lavfi sources, so tests need no
 * binary fixtures and every clip's content is known. Clips are tiny (tens to a few hundred pixels,
 * a few seconds) so each takes well under a second to make.
 *
 * Patterns:
 * - 'testsrc': ffmpeg's moving test card.
 * - 'color-steps': one flat colour at a time, changing every COLOR_STEP_SECONDS (by timestamp), so
 *   a decoded frame's colour says what time it really came from; see colorStepAt.
 * - 'halves': left half red, right half blue, to see which way a picture was turned.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { locateTools } from '../../src/video/tools.js';

const run = promisify(execFile);

export interface VideoSpec {
  /** File name without extension. */
  name: string;
  seconds: number;
  fps: number;
  /** Stored size, pixels (before any rotation). */
  width: number;
  height: number;
  codec: 'h264' | 'vp9' | 'mpeg4';
  container: 'mp4' | 'webm' | 'mkv' | 'avi';
  /** Adds a sine tone. */
  audio?: boolean;
  /** Degrees clockwise a player turns the picture (MP4 only). */
  rotate?: 90 | 180 | 270;
  /** Drops frames 3–7 of every 10 and keeps the others' timestamps: average rate half the real one. */
  variableFrameRate?: boolean;
  pattern?: 'testsrc' | 'color-steps' | 'halves';
  /** MP4 only: index (moov) before the media, as web uploads are. */
  faststart?: boolean;
  /** Seconds between keyframes (the encoders' defaults give one every 8–10 s). */
  keyframeSeconds?: number;
}

/** Seconds each colour of the 'color-steps' pattern lasts. */
export const COLOR_STEP_SECONDS = 0.5;

/** The 'color-steps' colour at a time, as [red, green, blue] bits (each 0 or 1; black at step 0, then 7 others). */
export function colorStepAt(seconds: number): [number, number, number] {
  const step = Math.floor(seconds / COLOR_STEP_SECONDS) % 8;
  return [step & 1, (step >> 1) & 1, (step >> 2) & 1];
}

const EXTENSIONS: Record<VideoSpec['container'], string> = { mp4: 'mp4', webm: 'webm', mkv: 'mkv', avi: 'avi' };

/** Makes the video in `folder` and returns its path. */
export async function makeVideo(folder: string, spec: VideoSpec): Promise<string> {
  if (spec.rotate !== undefined && spec.container !== 'mp4') throw new Error('makeVideo: rotation is only written to MP4 files');
  const path = join(folder, `${spec.name}.${EXTENSIONS[spec.container]}`);
  const inputs = ['-f', 'lavfi', '-i', sourceOf(spec)];
  if (spec.audio === true) inputs.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${spec.seconds}`);
  const filters = spec.variableFrameRate === true ? ['-vf', 'select=not(between(mod(n\\,10)\\,3\\,7))', '-fps_mode', 'vfr'] : [];
  const output = [
    '-t', String(spec.seconds),
    ...filters,
    ...videoCodecArguments(spec),
    ...(spec.keyframeSeconds === undefined ? [] : ['-g', String(Math.max(1, Math.round(spec.keyframeSeconds * spec.fps)))]),
    ...(spec.audio === true ? audioCodecArguments(spec.container) : ['-an']),
    ...(spec.faststart === true ? ['-movflags', '+faststart'] : []),
  ];
  if (spec.rotate === undefined) {
    await runFfmpeg(['-y', '-v', 'error', ...inputs, ...output, path]);
    return path;
  }
  // Encoding drops a `rotate` tag, so it is added in a second, copying pass. ffmpeg 5.1 writes the
  // tag as a counter-clockwise display matrix, so it is given the complement of the clockwise turn.
  const upright = join(folder, `${spec.name}.upright.mp4`);
  await runFfmpeg(['-y', '-v', 'error', ...inputs, ...output, upright]);
  await runFfmpeg(['-y', '-v', 'error', '-i', upright, '-c', 'copy', '-metadata:s:v:0', `rotate=${(360 - spec.rotate) % 360}`, path]);
  rmSync(upright);
  return path;
}

/** Runs the ffmpeg the code under test would use, with arguments as given. */
export async function runFfmpeg(args: string[]): Promise<void> {
  await run(locateTools().ffmpeg.path, ['-nostdin', ...args], { timeout: 60_000 });
}

function sourceOf(spec: VideoSpec): string {
  const size = `size=${spec.width}x${spec.height}:rate=${spec.fps}`;
  switch (spec.pattern ?? 'testsrc') {
    case 'testsrc':
      return `testsrc=${size}`;
    case 'halves':
      return `color=c=black:${size},format=gbrp,geq=r='255*lt(X,W/2)':g='0':b='255*gte(X,W/2)'`;
    case 'color-steps': {
      const step = `floor(T/${COLOR_STEP_SECONDS}+0.0001)`;
      return `color=c=black:${size},format=gbrp,geq=r='255*mod(${step},2)':g='255*mod(floor(${step}/2),2)':b='255*mod(floor(${step}/4),2)'`;
    }
  }
}

function videoCodecArguments(spec: VideoSpec): string[] {
  const odd = spec.width % 2 === 1 || spec.height % 2 === 1;
  switch (spec.codec) {
    case 'h264':
      // x264's 4:2:0 needs even sides; 4:4:4 takes any.
      return ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', odd ? 'yuv444p' : 'yuv420p'];
    case 'vp9':
      return ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p'];
    case 'mpeg4':
      return ['-c:v', 'mpeg4', '-q:v', '4', '-pix_fmt', 'yuv420p'];
  }
}

function audioCodecArguments(container: VideoSpec['container']): string[] {
  if (container === 'mp4') return ['-c:a', 'aac'];
  if (container === 'avi') return ['-c:a', 'libmp3lame'];
  return ['-c:a', 'libopus'];
}
