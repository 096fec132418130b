/**
 * Files that are not what they claim: each must end in a classified input error within seconds,
 * from the probe and from the decoder alike, without crashing and without any other file being
 * opened. The "other file" a playlist points at is a FIFO canary: if ffmpeg or ffprobe ever opened
 * it for reading, the watcher would see a reader.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LongviewError } from '../../src/shared/errors.js';
import { decodeFrames } from '../../src/video/decoder.js';
import { probeVideo } from '../../src/video/probe.js';
import { superviseProcess } from '../../src/video/supervised-process.js';
import { locateTools } from '../../src/video/tools.js';
import { makeDeclaredSizeMkv, truncatedCopy, writeConcatDecoy, writeHlsDecoy } from './make-hostile-files.js';
import { makeVideo } from './make-videos.js';
import { claimedVideoInfo, makeFifo, reachableProbes, temporaryFolder, watchFifoForReaders } from './test-files.js';

const tools = locateTools();
const folder = temporaryFolder();
afterAll(() => folder.remove());

const inFolder = (name: string): string => join(folder.path, name);
const canary = inFolder('secret.ts');

beforeAll(async () => {
  makeFifo(canary);
  makeFifo(inFolder('pipe.mp4'));
  mkdirSync(inFolder('folder.mp4'));
  writeFileSync(inFolder('text.mp4'), 'This is a shopping list, not a video.\n');
  writeFileSync(inFolder('empty.mp4'), '');
  writeFileSync(inFolder('noise.mkv'), Buffer.from(Array.from({ length: 4096 }, (_, position) => (position * 7919) % 251)));
  writeHlsDecoy(inFolder('playlist.mp4'), 'secret.ts');
  writeConcatDecoy(inFolder('list.mp4'), 'secret.ts');
  const clip = { seconds: 3, fps: 10, width: 64, height: 48, codec: 'h264', container: 'mp4' } as const;
  truncatedCopy(await makeVideo(folder.path, { ...clip, name: 'moov-at-end' }), inFolder('cut-moov-at-end.mp4'), 0.5);
  await makeVideo(folder.path, { ...clip, name: 'sound', audio: true });
  await makeDeclaredSizeMkv(folder.path, 'huge-area', 16000, 16000);
  await makeDeclaredSizeMkv(folder.path, 'huge-side', 20000, 256);
});

const cases = [
  { case: 'a text file named .mp4', file: 'text.mp4', reason: 'not-a-video' },
  { case: 'an empty file', file: 'empty.mp4', reason: 'empty' },
  { case: 'a folder', file: 'folder.mp4', reason: 'not-a-file' },
  { case: 'a FIFO', file: 'pipe.mp4', reason: 'not-a-file' },
  { case: 'a missing file', file: 'nowhere.mp4', reason: 'not-found' },
  { case: 'bytes of no format', file: 'noise.mkv', reason: 'not-a-video' },
  { case: 'an MP4 cut before its index', file: 'cut-moov-at-end.mp4', reason: 'incomplete' },
  { case: 'an HLS playlist saved as .mp4', file: 'playlist.mp4', reason: 'unsupported-container' },
  { case: 'an ffconcat list saved as .mp4', file: 'list.mp4', reason: 'unsupported-container' },
  { case: 'a declared 16000×16000 picture', file: 'huge-area.mkv', reason: 'too-large' },
  { case: 'a declared 20000-pixel-wide picture', file: 'huge-side.mkv', reason: 'too-large' },
];

async function decodeError(path: string): Promise<unknown> {
  const stream = decodeFrames(path, claimedVideoInfo(path), { tools, samplingFps: 10, frameStride: 1, imageSize: 16, stallTimeoutMs: 10_000 });
  try {
    for await (const frame of stream.frames()) void frame;
  } catch (error) {
    await stream.done.catch(() => undefined);
    return error;
  }
  return undefined;
}

describe('hostile inputs', () => {
  const probeCases = reachableProbes().flatMap((probeTools) => cases.map((entry) => ({ ...entry, probeTools, ffprobe: probeTools.ffprobe.source })));
  it.each(probeCases)('probe ($ffprobe) refuses $case ($reason) without touching other files', async ({ file, reason, probeTools }) => {
    const watcher = watchFifoForReaders(canary);
    const error = await probeVideo(inFolder(file), { tools: probeTools, timeoutMs: 10_000 }).catch((caught: unknown) => caught);
    expect(watcher.stop()).toBe(false);
    expect(error).toBeInstanceOf(LongviewError);
    expect(error).toMatchObject({ kind: 'input', reason });
    expect((error as Error).message).toContain(file);
  });

  it.each(cases.filter(({ reason }) => reason !== 'too-large'))('the decoder refuses $case ($reason) on its own', async ({ file, reason }) => {
    const watcher = watchFifoForReaders(canary);
    const error = await decodeError(inFolder(file));
    expect(watcher.stop()).toBe(false);
    expect(error).toMatchObject({ kind: 'input', reason });
  });

  it.each([
    { case: 'a declared 16000×16000 picture (default limit)', file: 'huge-area.mkv', maxPixels: undefined },
    { case: 'a declared 20000×256 picture, held to a 1 Mpx limit', file: 'huge-side.mkv', maxPixels: 1_000_000 },
  ])('the decoder refuses $case before allocating it', async ({ file, maxPixels }) => {
    const stream = decodeFrames(inFolder(file), claimedVideoInfo(inFolder(file)), { tools, samplingFps: 1, frameStride: 1, imageSize: 16, maxPixels });
    await expect(stream.done).rejects.toMatchObject({ kind: 'input', reason: 'too-large' });
  });

  it('reports an audio-only file as having no video stream, from probe and decoder', async () => {
    // makeVideo always has video; strip it to get an audio-only MP4.
    const path = inFolder('sound.mp4');
    const audioOnly = inFolder('audio-only.mp4');
    const strip = superviseProcess(tools.ffmpeg.path, ['-nostdin', '-v', 'error', '-i', path, '-vn', '-c:a', 'copy', audioOnly]);
    strip.stdout.resume();
    expect((await strip.finished).exitCode).toBe(0);
    await expect(probeVideo(audioOnly, { tools })).rejects.toMatchObject({ kind: 'input', reason: 'no-video-stream' });
    expect(await decodeError(audioOnly)).toMatchObject({ kind: 'input', reason: 'no-video-stream' });
  });

  it('the canary does see a reader: ffprobe without the demuxer allow-list opens it', async () => {
    const watcher = watchFifoForReaders(canary);
    const child = superviseProcess(tools.ffprobe.path, ['-v', 'error', '-protocol_whitelist', 'file', '-i', inFolder('playlist.mp4')], { timeoutMs: 10_000 });
    child.stdout.resume();
    await child.finished;
    expect(watcher.stop()).toBe(true);
  });
});
