/**
 * Measures the video edge (prints numbers, asserts nothing): how long each hostile-input verdict
 * takes from probe and from decoder, and how fast a 1280×720 H.264 clip decodes into 224-px model
 * frames. Run with `npx tsx test/video/video.bench.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFrames, type DecodeOptions } from '../../src/video/decoder.js';
import { probeVideo } from '../../src/video/probe.js';
import { describeTools, locateTools } from '../../src/video/tools.js';
import { makeDeclaredSizeMkv, truncatedCopy, writeConcatDecoy, writeHlsDecoy } from './make-hostile-files.js';
import { makeVideo } from './make-videos.js';
import { claimedVideoInfo, makeFifo, temporaryFolder } from './test-files.js';

const tools = locateTools();

async function hostileVerdicts(folder: string): Promise<void> {
  const inFolder = (name: string): string => join(folder, name);
  makeFifo(inFolder('secret.ts'));
  makeFifo(inFolder('pipe.mp4'));
  mkdirSync(inFolder('folder.mp4'));
  writeFileSync(inFolder('text.mp4'), 'not a video\n');
  writeFileSync(inFolder('empty.mp4'), '');
  writeHlsDecoy(inFolder('playlist.mp4'), 'secret.ts');
  writeConcatDecoy(inFolder('list.mp4'), 'secret.ts');
  const clip = { seconds: 3, fps: 10, width: 64, height: 48, codec: 'h264', container: 'mp4' } as const;
  truncatedCopy(await makeVideo(folder, { ...clip, name: 'whole' }), inFolder('cut.mp4'), 0.5);
  await makeDeclaredSizeMkv(folder, 'huge', 16000, 16000);

  console.log(`${'file → probe verdict / decoder verdict'.padEnd(60)} probe ms  decoder ms`);
  for (const file of ['text.mp4', 'empty.mp4', 'folder.mp4', 'pipe.mp4', 'cut.mp4', 'playlist.mp4', 'list.mp4', 'huge.mkv']) {
    const path = inFolder(file);
    let start = performance.now();
    const probeError = await probeVideo(path, { tools }).then(
      () => 'accepted',
      (error: { reason?: string }) => error.reason ?? 'error',
    );
    const probeMs = performance.now() - start;
    start = performance.now();
    const stream = decodeFrames(path, claimedVideoInfo(path), { tools, samplingFps: 10, frameStride: 1, imageSize: 16 });
    const decodeError = await stream.done.then(
      () => 'accepted',
      (error: { reason?: string }) => error.reason ?? 'error',
    );
    const decodeMs = performance.now() - start;
    console.log(`${`${file} → ${probeError}/${decodeError}`.padEnd(60)} ${probeMs.toFixed(1).padStart(8)} ${decodeMs.toFixed(1).padStart(11)}`);
  }
}

async function decodeSpeed(folder: string): Promise<void> {
  const path = await makeVideo(folder, { name: 'hd', seconds: 20, fps: 30, width: 1280, height: 720, codec: 'h264', container: 'mp4' });
  const info = await probeVideo(path, { tools });
  for (const sampling of [
    { samplingFps: 30, frameStride: 1, imageSize: 224 },
    { samplingFps: 30, frameStride: 4, imageSize: 224 },
  ] satisfies Omit<DecodeOptions, 'tools'>[]) {
    const start = performance.now();
    const stream = decodeFrames(path, info, { tools, ...sampling });
    let frames = 0;
    for await (const frame of stream.frames()) frames += frame.rgb.length > 0 ? 1 : 0;
    await stream.done;
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `1280×720 H.264, ${info.durationSeconds} s at 30 fps → 224 px, ${sampling.samplingFps} fps every ${sampling.frameStride}: ${frames} frames in ${seconds.toFixed(2)} s = ${(frames / seconds).toFixed(0)} frames/s (${(info.durationSeconds / seconds).toFixed(1)}× real time)`,
    );
  }
}

const folder = temporaryFolder();
try {
  console.log(describeTools(tools));
  await hostileVerdicts(folder.path);
  await decodeSpeed(folder.path);
} finally {
  folder.remove();
}
