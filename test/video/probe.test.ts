/** probeVideo on generated videos of each container, codec, size, rotation and rate kind. */
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoInfo } from '../../src/shared/analysis.js';
import { probeVideo } from '../../src/video/probe.js';
import { locateTools, type FfmpegTools } from '../../src/video/tools.js';
import { makeVideo, type VideoSpec } from './make-videos.js';
import { makeScript, reachableProbes, temporaryFolder } from './test-files.js';

const tools = locateTools();
const folder = temporaryFolder();
afterAll(() => folder.remove());

const base = { seconds: 2, fps: 10, width: 64, height: 48 } as const;

const cases: { case: string; spec: VideoSpec; expected: Partial<VideoInfo> }[] = [
  {
    case: 'MP4 / H.264 with audio',
    spec: { ...base, name: 'h264-audio', codec: 'h264', container: 'mp4', audio: true },
    expected: { formatName: 'mov,mp4,m4a,3gp,3g2,mj2', videoCodec: 'h264', audioCodec: 'aac', width: 64, height: 48, rotation: 0, declaredFrameCount: 20, variableFrameRate: false },
  },
  {
    case: 'WebM / VP9 with audio',
    spec: { ...base, name: 'vp9-audio', codec: 'vp9', container: 'webm', audio: true },
    expected: { formatName: 'matroska,webm', videoCodec: 'vp9', audioCodec: 'opus', width: 64, height: 48, declaredFrameCount: null },
  },
  { case: 'MKV / H.264', spec: { ...base, name: 'h264', codec: 'h264', container: 'mkv' }, expected: { formatName: 'matroska,webm', videoCodec: 'h264', audioCodec: null } },
  { case: 'AVI / MPEG-4 with audio', spec: { ...base, name: 'mpeg4', codec: 'mpeg4', container: 'avi', audio: true }, expected: { formatName: 'avi', videoCodec: 'mpeg4', audioCodec: 'mp3' } },
  { case: 'an odd size', spec: { ...base, name: 'odd', codec: 'h264', container: 'mp4', width: 97, height: 61 }, expected: { width: 97, height: 61 } },
  { case: 'a quarter turn clockwise', spec: { ...base, name: 'turned-90', codec: 'h264', container: 'mp4', rotate: 90 }, expected: { width: 48, height: 64, rotation: 90 } },
  { case: 'a half turn', spec: { ...base, name: 'turned-180', codec: 'h264', container: 'mp4', rotate: 180 }, expected: { width: 64, height: 48, rotation: 180 } },
  { case: 'three quarter turns', spec: { ...base, name: 'turned-270', codec: 'h264', container: 'mp4', rotate: 270 }, expected: { width: 48, height: 64, rotation: 270 } },
  {
    case: 'a variable frame rate',
    spec: { ...base, name: 'variable', codec: 'h264', container: 'mp4', fps: 30, variableFrameRate: true },
    expected: { variableFrameRate: true, averageFrameRate: 15, realFrameRate: 30 },
  },
  { case: 'a fast-start MP4', spec: { ...base, name: 'faststart', codec: 'h264', container: 'mp4', faststart: true }, expected: { durationSeconds: 2, averageFrameRate: 10 } },
];

const paths = new Map<string, string>();
beforeAll(async () => {
  for (const { spec } of cases) paths.set(spec.name, await makeVideo(folder.path, spec));
});

describe.each(reachableProbes().map((probeTools) => ({ probeTools, ffprobe: `${probeTools.ffprobe.path} (${probeTools.ffprobe.source})` })))('probeVideo with $ffprobe', ({ probeTools }) => {
  it.each(cases)('reads $case', async ({ spec, expected }) => {
    const path = paths.get(spec.name) ?? '';
    const info = await probeVideo(path, { tools: probeTools });
    expect(info).toMatchObject({ path, ...expected });
    expect(info.durationSeconds).toBeGreaterThan(spec.seconds - 0.2);
    expect(info.durationSeconds).toBeLessThan(spec.seconds + 0.2);
    expect(Object.values(info).some((value) => typeof value === 'number' && !Number.isFinite(value))).toBe(false);
  });
});

describe('probeVideo paths', () => {
  // The path is resolved before ffprobe runs, so one ffprobe is enough.
  it('resolves a relative path to an absolute one', async () => {
    const absolute = paths.get('h264') ?? '';
    const info = await probeVideo(relative(process.cwd(), absolute), { tools });
    expect(info.path).toBe(absolute);
  });
});

describe('probeVideo supervision', () => {
  function fakeProbe(body: string): FfmpegTools {
    scripts += 1;
    return { ...tools, ffprobe: { path: makeScript(join(folder.path, `fake-ffprobe-${scripts}`), body), source: 'FFPROBE_PATH' } };
  }
  let scripts = 0;

  it('refuses at once when already cancelled', async () => {
    await expect(probeVideo(paths.get('h264') ?? '', { tools, signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'usage', reason: 'cancelled' });
  });

  it('gives up on an ffprobe that hangs', async () => {
    await expect(probeVideo(paths.get('h264') ?? '', { tools: fakeProbe('exec sleep 30'), timeoutMs: 300 })).rejects.toMatchObject({ kind: 'input', reason: 'probe-timeout' });
  });

  it('kills ffprobe on abort', async () => {
    const controller = new AbortController();
    const probing = probeVideo(paths.get('h264') ?? '', { tools: fakeProbe('exec sleep 30'), signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(probing).rejects.toMatchObject({ kind: 'usage', reason: 'cancelled' });
  });

  it('refuses an endless report instead of buffering it', async () => {
    await expect(probeVideo(paths.get('h264') ?? '', { tools: fakeProbe('exec cat /dev/zero') })).rejects.toMatchObject({ kind: 'input', reason: 'unreadable' });
  });

  it('reports an ffprobe that cannot be started as a backend problem', async () => {
    const missing: FfmpegTools = { ...tools, ffprobe: { path: join(folder.path, 'no-ffprobe-here'), source: 'FFPROBE_PATH' } };
    await expect(probeVideo(paths.get('h264') ?? '', { tools: missing })).rejects.toMatchObject({ kind: 'backend', reason: 'no-ffmpeg' });
  });
});
