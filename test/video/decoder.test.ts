/**
 * decodeFrames end to end on generated videos: frame sizes and times, content at the right time,
 * upright rotated video, resuming, partial files, backpressure, and every way of stopping ffmpeg
 * (break, abort, stall) ending with no ffmpeg left running.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoInfo } from '../../src/shared/analysis.js';
import { decodeFrames, type DecodedFrame, type DecodeOptions } from '../../src/video/decoder.js';
import { probeVideo } from '../../src/video/probe.js';
import { locateTools, type FfmpegTools } from '../../src/video/tools.js';
import { truncatedCopy } from './make-hostile-files.js';
import { COLOR_STEP_SECONDS, colorStepAt, makeVideo, type VideoSpec } from './make-videos.js';
import { childProcesses, eventually, isGone, makeScript, temporaryFolder } from './test-files.js';

const tools = locateTools();
const folder = temporaryFolder();
afterAll(() => folder.remove());

const small = { seconds: 3, fps: 30, width: 160, height: 120 } as const;
const specs = {
  mp4: { ...small, name: 'mp4', codec: 'h264', container: 'mp4', audio: true },
  webm: { ...small, name: 'webm', codec: 'vp9', container: 'webm', audio: true },
  mkv: { ...small, name: 'mkv', codec: 'h264', container: 'mkv' },
  avi: { ...small, name: 'avi', codec: 'mpeg4', container: 'avi' },
  odd: { ...small, name: 'odd', codec: 'h264', container: 'mp4', width: 97, height: 61 },
  steps: { ...small, name: 'steps', codec: 'h264', container: 'mp4', seconds: 4, width: 64, height: 48, pattern: 'color-steps' },
  variable: { ...small, name: 'variable', codec: 'h264', container: 'mp4', seconds: 4, width: 64, height: 48, pattern: 'color-steps', variableFrameRate: true },
  upright: { ...small, name: 'upright', codec: 'h264', container: 'mp4', seconds: 1, width: 64, height: 32, pattern: 'halves' },
  turned90: { ...small, name: 'turned-90', codec: 'h264', container: 'mp4', seconds: 1, width: 64, height: 32, pattern: 'halves', rotate: 90 },
  turned270: { ...small, name: 'turned-270', codec: 'h264', container: 'mp4', seconds: 1, width: 64, height: 32, pattern: 'halves', rotate: 270 },
  long: { ...small, name: 'long', codec: 'h264', container: 'mp4', seconds: 10, width: 64, height: 48, keyframeSeconds: 1 },
  longWebm: { ...small, name: 'long-webm', codec: 'vp9', container: 'webm', seconds: 10, width: 64, height: 48, keyframeSeconds: 1 },
  faststart: { ...small, name: 'faststart', codec: 'h264', container: 'mp4', seconds: 6, width: 64, height: 48, faststart: true },
} satisfies Record<string, VideoSpec>;
type Name = keyof typeof specs;

const videos = new Map<Name, { path: string; info: VideoInfo }>();
beforeAll(async () => {
  for (const [name, spec] of Object.entries(specs) as [Name, VideoSpec][]) {
    const path = await makeVideo(folder.path, spec);
    videos.set(name, { path, info: await probeVideo(path, { tools }) });
  }
});

function video(name: Name): { path: string; info: VideoInfo } {
  const found = videos.get(name);
  if (found === undefined) throw new Error(`no video ${name}`);
  return found;
}

async function decodeAll(path: string, info: VideoInfo, options: Omit<DecodeOptions, 'tools'>) {
  const stream = decodeFrames(path, info, { tools, ...options });
  const frames: DecodedFrame[] = [];
  for await (const frame of stream.frames()) frames.push(frame);
  return { frames, summary: await stream.done };
}

/** Mean of each channel over a square RGB frame, 0..255. */
function meanColor(frame: DecodedFrame, size: number): [number, number, number] {
  const sums = [0, 0, 0];
  for (let pixel = 0; pixel < size * size; pixel++) {
    for (let channel = 0; channel < 3; channel++) sums[channel]! += frame.rgb[pixel * 3 + channel]!;
  }
  return [sums[0]! / (size * size), sums[1]! / (size * size), sums[2]! / (size * size)];
}

const bits = (color: [number, number, number]): number[] => color.map((value) => (value > 128 ? 1 : 0));

/** Frames whose time lies this close to a colour change may show either colour, seconds. */
const CHANGE_MARGIN_SECONDS = 0.04;

function nearColorChange(seconds: number): boolean {
  const phase = seconds % COLOR_STEP_SECONDS;
  return phase < CHANGE_MARGIN_SECONDS || phase > COLOR_STEP_SECONDS - CHANGE_MARGIN_SECONDS;
}

describe('decodeFrames', () => {
  it.each([
    { name: 'mp4' as const, case: 'MP4 / H.264 with audio' },
    { name: 'webm' as const, case: 'WebM / VP9 with audio' },
    { name: 'mkv' as const, case: 'MKV / H.264' },
    { name: 'avi' as const, case: 'AVI / MPEG-4' },
    { name: 'odd' as const, case: 'an odd 97×61 size' },
  ])('delivers square RGB frames on the sampling grid from $case', async ({ name }) => {
    const { path, info } = video(name);
    const { frames, summary } = await decodeAll(path, info, { samplingFps: 10, frameStride: 2, imageSize: 32 });
    // 3 s at 10 fps, every 2nd: 15 frames, 0.2 s apart.
    expect(frames.map((frame) => frame.index)).toEqual(Array.from({ length: 15 }, (_, index) => index));
    frames.forEach((frame, index) => expect(frame.seconds).toBeCloseTo(index * 0.2, 6));
    for (const frame of frames) expect(frame.rgb.length).toBe(32 * 32 * 3);
    expect(summary).toEqual({ framesDelivered: 15, lastFrameSeconds: frames.at(-1)?.seconds, partial: false, partialReason: null, warnings: [] });
  });

  it.each([
    { name: 'steps' as const, case: 'a constant frame rate' },
    { name: 'variable' as const, case: 'a variable frame rate' },
  ])('times frames within half a sampled frame of the grid with $case', async ({ name }) => {
    const { path, info } = video(name);
    expect(info.variableFrameRate).toBe(name === 'variable');
    const { frames, summary } = await decodeAll(path, info, { samplingFps: 10, frameStride: 1, imageSize: 16 });
    expect(summary.partial).toBe(false);
    // 4 s at 10 fps.
    expect(frames.length).toBeGreaterThanOrEqual(39);
    for (const frame of frames) expect(Math.abs(frame.seconds - frame.index / 10)).toBeLessThanOrEqual(0.05);
  });

  it('shows at each frame’s time the content the video has at that time', async () => {
    const { path, info } = video('steps');
    const { frames } = await decodeAll(path, info, { samplingFps: 10, frameStride: 1, imageSize: 16 });
    const away = frames.filter((frame) => !nearColorChange(frame.seconds));
    expect(away.length).toBeGreaterThan(20);
    for (const frame of away) expect(bits(meanColor(frame, 16))).toEqual(colorStepAt(frame.seconds));
  });

  it('places the variable-rate video’s frames by timestamp, never by count', async () => {
    const { path, info } = video('variable');
    const { frames } = await decodeAll(path, info, { samplingFps: 10, frameStride: 1, imageSize: 16 });
    // Source frames 3–7 of every 10 (30 fps) are missing, so a slot in a gap shows the last kept
    // frame before it: its colour is the colour at that frame's time.
    const shownAt = (seconds: number): number => {
      const sourceFrame = Math.floor(seconds * 30 + 1e-6);
      const phase = sourceFrame % 10;
      return (phase >= 3 && phase <= 7 ? sourceFrame - (phase - 2) : sourceFrame) / 30;
    };
    const away = frames.filter((frame) => !nearColorChange(shownAt(frame.seconds)));
    expect(away.length).toBeGreaterThan(20);
    for (const frame of away) expect(bits(meanColor(frame, 16))).toEqual(colorStepAt(shownAt(frame.seconds)));
  });

  const red = [1, 0, 0];
  const blue = [0, 0, 1];
  it.each([
    { name: 'upright' as const, looks: 'left red, right blue', corners: { topLeft: red, topRight: blue, bottomLeft: red } },
    { name: 'turned90' as const, looks: 'top red, bottom blue', corners: { topLeft: red, topRight: red, bottomLeft: blue } },
    { name: 'turned270' as const, looks: 'top blue, bottom red', corners: { topLeft: blue, topRight: blue, bottomLeft: red } },
  ])('turns the $name video upright: $looks', async ({ name, corners }) => {
    // Stored 64×32, left half red and right half blue; a player turns it by the rotation tag.
    const { path, info } = video(name);
    const size = 32;
    const { frames } = await decodeAll(path, info, { samplingFps: 5, frameStride: 1, imageSize: size });
    const frame = frames[0];
    if (frame === undefined) throw new Error('no frame');
    const pixel = (row: number, column: number) => bits([...frame.rgb.subarray((row * size + column) * 3, (row * size + column) * 3 + 3)] as [number, number, number]);
    expect({ topLeft: pixel(1, 1), topRight: pixel(1, size - 2), bottomLeft: pixel(size - 2, 1) }).toEqual(corners);
  });

  it.each([
    { name: 'mp4' as const, case: 'near the start (no seek)', sampling: { samplingFps: 10, frameStride: 2, imageSize: 24 }, firstFrame: 6 },
    { name: 'long' as const, case: 'an H.264 MP4, seeking', sampling: { samplingFps: 10, frameStride: 2, imageSize: 24 }, firstFrame: 30 },
    { name: 'longWebm' as const, case: 'a VP9 WebM, seeking', sampling: { samplingFps: 10, frameStride: 2, imageSize: 24 }, firstFrame: 31 },
    { name: 'variable' as const, case: 'a variable-rate MP4, seeking', sampling: { samplingFps: 10, frameStride: 1, imageSize: 24 }, firstFrame: 30 },
  ])('resumes $case with exactly the frames, bytes and times of a full decode', async ({ name, sampling, firstFrame }) => {
    const { path, info } = video(name);
    const full = await decodeAll(path, info, sampling);
    const tail = full.frames.filter((frame) => frame.index >= firstFrame);
    const resumed = await decodeAll(path, info, { ...sampling, firstFrame });
    expect(resumed.frames[0]?.index).toBe(firstFrame);
    expect(resumed.frames.map((frame) => [frame.index, frame.seconds])).toEqual(tail.map((frame) => [frame.index, frame.seconds]));
    resumed.frames.forEach((frame, position) => expect(Buffer.from(frame.rgb).equals(Buffer.from(tail[position]?.rgb ?? []))).toBe(true));
    expect(resumed.summary.partial).toBe(false);
  });

  it('delivers nothing, and no error, when resuming past the end', async () => {
    const { path, info } = video('mp4');
    const { frames, summary } = await decodeAll(path, info, { samplingFps: 10, frameStride: 2, imageSize: 8, firstFrame: 1000 });
    expect(frames).toEqual([]);
    expect(summary).toMatchObject({ framesDelivered: 0, partial: false });
  });

  it('delivers the frames of a truncated WebM and marks the result partial', async () => {
    const { path, info } = video('webm');
    const cut = truncatedCopy(path, join(folder.path, 'cut.webm'), 0.5);
    const { frames, summary } = await decodeAll(cut, info, { samplingFps: 10, frameStride: 1, imageSize: 16 });
    expect(frames.length).toBeGreaterThan(0);
    expect(summary.partial).toBe(true);
    expect(summary.partialReason).toMatch(/^the file ends early: decoded \d+\.\d of 3\.0 s$/);
  });

  it('delivers the frames of a truncated fast-start MP4 and marks the result partial', async () => {
    const { path, info } = video('faststart');
    const cut = truncatedCopy(path, join(folder.path, 'cut-faststart.mp4'), 0.5);
    const cutInfo = await probeVideo(cut, { tools });
    expect(cutInfo.durationSeconds).toBeCloseTo(info.durationSeconds, 3);
    const { frames, summary } = await decodeAll(cut, cutInfo, { samplingFps: 10, frameStride: 1, imageSize: 16 });
    expect(frames.length).toBeGreaterThan(0);
    expect(summary.partial).toBe(true);
    expect(summary.warnings.length).toBeGreaterThan(0);
  });

  it('stops reading while the caller does not pull, and goes on when it does', async () => {
    const { path, info } = video('long');
    // 10 s at 30 fps, 64-px frames (12 kB): 300 frames, 3.7 MB, far more than the pipes hold.
    const stream = decodeFrames(path, info, { tools, samplingFps: 30, frameStride: 1, imageSize: 64 });
    const frames = stream.frames();
    await frames.next();
    let settled = false;
    void stream.done.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false);
    let count = 1;
    for await (const frame of frames) count += frame.rgb.length > 0 ? 1 : 0;
    expect(count).toBe(300);
    expect(await stream.done).toMatchObject({ framesDelivered: 300, partial: false });
  });

  it('kills and reaps ffmpeg when the caller breaks out of the loop', async () => {
    const { path, info } = video('long');
    const stream = decodeFrames(path, info, { tools, samplingFps: 30, frameStride: 1, imageSize: 64 });
    let seen = 0;
    for await (const frame of stream.frames()) {
      void frame;
      seen += 1;
      if (seen === 5) break;
    }
    const summary = await stream.done;
    expect(summary.partial).toBe(true);
    expect(summary.partialReason).toMatch(/^decoding was stopped before the end/);
    expect(childProcesses('ffmpeg')).toEqual([]);
  });

  it('stops on cancel(): the frames end and done resolves partial', async () => {
    const { path, info } = video('long');
    const stream = decodeFrames(path, info, { tools, samplingFps: 30, frameStride: 1, imageSize: 64 });
    const frames = stream.frames();
    await frames.next();
    stream.cancel();
    expect((await stream.done).partial).toBe(true);
    expect(await frames.next()).toEqual({ done: true, value: undefined });
    expect(childProcesses('ffmpeg')).toEqual([]);
  });

  it('kills ffmpeg on abort and fails with a cancellation', async () => {
    const { path, info } = video('long');
    const controller = new AbortController();
    const reason = new Error('the user pressed stop');
    const stream = decodeFrames(path, info, { tools, samplingFps: 30, frameStride: 1, imageSize: 64, signal: controller.signal });
    let seen = 0;
    const loop = (async () => {
      for await (const frame of stream.frames()) {
        void frame;
        seen += 1;
        if (seen === 3) controller.abort(reason);
      }
    })();
    await expect(loop).rejects.toMatchObject({ kind: 'usage', reason: 'cancelled', cause: reason });
    await expect(stream.done).rejects.toMatchObject({ kind: 'usage', reason: 'cancelled' });
    expect(seen).toBe(3);
    expect(childProcesses('ffmpeg')).toEqual([]);
  });

  it('does not start ffmpeg when the signal is already aborted', async () => {
    const { path, info } = video('mp4');
    const stream = decodeFrames(path, info, { tools, samplingFps: 10, frameStride: 1, imageSize: 8, signal: AbortSignal.abort() });
    await expect(stream.frames().next()).rejects.toMatchObject({ reason: 'cancelled' });
    await expect(stream.done).rejects.toMatchObject({ reason: 'cancelled' });
  });

  it.each([
    { case: 'a zero sampling rate', options: { samplingFps: 0, frameStride: 1, imageSize: 8 } },
    { case: 'a fractional stride', options: { samplingFps: 10, frameStride: 1.5, imageSize: 8 } },
    { case: 'a huge image', options: { samplingFps: 10, frameStride: 1, imageSize: 100_000 } },
    { case: 'a negative first frame', options: { samplingFps: 10, frameStride: 1, imageSize: 8, firstFrame: -1 } },
  ])('refuses $case as a usage error', async ({ options }) => {
    const { path, info } = video('mp4');
    const stream = decodeFrames(path, info, { tools, ...options });
    await expect(stream.done).rejects.toMatchObject({ kind: 'usage', reason: 'bad-sampling' });
  });
});

describe('decodeFrames with a fake ffmpeg', () => {
  function fakeTools(body: string): FfmpegTools {
    return { ...tools, ffmpeg: { path: makeScript(join(folder.path, `fake-ffmpeg-${Math.random().toString(36).slice(2)}`), body), source: 'FFMPEG_PATH' } };
  }

  it('kills a decoder that stops talking, leaves no zombie, and fails as stalled', async () => {
    const pidFile = join(folder.path, 'fake.pid');
    const { path, info } = video('mp4');
    const stream = decodeFrames(path, info, { tools: fakeTools(`echo $$ > ${pidFile}; printf 'abc'; exec sleep 60`), samplingFps: 10, frameStride: 1, imageSize: 8, stallTimeoutMs: 300 });
    await expect(stream.frames().next()).rejects.toMatchObject({ kind: 'input', reason: 'decoder-stalled' });
    await expect(stream.done).rejects.toMatchObject({ reason: 'decoder-stalled' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isGone(pid)).toBe(true);
    expect(await eventually(() => childProcesses('sleep').length === 0)).toBe(true);
  });

  it('refuses frames whose bytes do not match showinfo’s checksum', async () => {
    const { path, info } = video('mp4');
    // One 2×2 frame of zeros, announced with the checksum of something else.
    const body = `printf '[Parsed_showinfo_5 @ 0x1] n:   0 pts:      0 pts_time:0 pos: 1 fmt:rgb24 checksum:DEADBEEF\\n' >&2; head -c 12 /dev/zero`;
    const stream = decodeFrames(path, info, { tools: fakeTools(body), samplingFps: 10, frameStride: 1, imageSize: 2 });
    await expect(stream.done).rejects.toMatchObject({ kind: 'internal', reason: 'frame-mismatch' });
  });

  it('pairs frames with their times whichever pipe speaks first', async () => {
    const { path, info } = video('mp4');
    const line = (n: number) => `printf '[Parsed_showinfo_5 @ 0x1] n: ${n} pts: ${n} pts_time:${n / 2} pos: 1 fmt:rgb24\\n' >&2`;
    const body = [`head -c 12 /dev/zero`, line(0), line(1), 'sleep 0.1', `head -c 12 /dev/zero`, `head -c 5 /dev/zero`].join('; ');
    const stream = decodeFrames(path, { ...info, durationSeconds: 1 }, { tools: fakeTools(body), samplingFps: 2, frameStride: 1, imageSize: 2 });
    const seen: [number, number][] = [];
    for await (const frame of stream.frames()) seen.push([frame.index, frame.seconds]);
    expect(seen).toEqual([
      [0, 0],
      [1, 0.5],
    ]);
    expect((await stream.done).warnings).toEqual(['5 bytes after the last whole frame were dropped']);
  });

  it('fails as a backend problem when ffmpeg cannot be started', async () => {
    const { path, info } = video('mp4');
    const missing: FfmpegTools = { ...tools, ffmpeg: { path: join(folder.path, 'no-ffmpeg-here'), source: 'FFMPEG_PATH' } };
    const stream = decodeFrames(path, info, { tools: missing, samplingFps: 10, frameStride: 1, imageSize: 8 });
    await expect(stream.done).rejects.toMatchObject({ kind: 'backend', reason: 'no-ffmpeg' });
  });
});
