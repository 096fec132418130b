import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineStatus, OpenedVideo } from '../../src/shared/api.js';
import { LongviewError } from '../../src/shared/errors.js';
import { createVideoAccess } from '../../src/service/video-access.js';
import { createAppRequests, restartAndReopen } from '../../electron/app-requests.js';
import { VideoOpener } from '../../electron/video-opener.js';

const root = mkdtempSync(join(tmpdir(), 'longview-app-requests-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const opened = (videoId: string, path = `/videos/${videoId}.mp4`): OpenedVideo =>
  ({ videoId, path, name: `${videoId}.mp4`, mediaUrl: `longview-media://video/${videoId}`, info: {} }) as unknown as OpenedVideo;

describe('createAppRequests', () => {
  it('passes requests to the host and remembers the videos it opened', async () => {
    const seen: string[] = [];
    const requests = createAppRequests({
      host: {
        handle: async (method) => {
          seen.push(method);
          return method === 'openVideo' ? opened('a') : method === 'chooseVideo' ? null : { state: 'ok' };
        },
      },
      startupSettled: async () => {},
    });
    await requests.handle('openVideo', { path: '/videos/a.mp4' });
    await requests.handle('chooseVideo', {});
    await requests.handle('getSettings', {});
    requests.noteOpened(opened('b'));
    expect(seen).toEqual(['openVideo', 'chooseVideo', 'getSettings']);
    expect(requests.openedVideoIds()).toEqual(['a', 'b']);
  });

  it('answers startupVideos only after the startup videos are open', async () => {
    const gate = deferred();
    const order: string[] = [];
    const requests = createAppRequests({
      host: { handle: async (method) => (order.push(`host ${method}`), []) },
      startupSettled: () => gate.promise.then(() => void order.push('settled')),
    });
    const answer = requests.handle('startupVideos', {});
    await Promise.resolve();
    expect(order).toEqual([]);
    gate.resolve();
    await answer;
    expect(order).toEqual(['settled', 'host startupVideos']);
  });
});

describe('restartAndReopen', () => {
  it('reopens every video under its old id, skipping one that is gone', async () => {
    const access = createVideoAccess();
    const kept = join(root, 'kept.mp4');
    const gone = join(root, 'gone.mp4');
    writeFileSync(kept, 'video');
    writeFileSync(gone, 'video');
    const keptId = await access.grant(kept);
    const goneId = await access.grant(gone);
    unlinkSync(gone);
    const calls: unknown[][] = [];
    const status = await restartAndReopen({
      engine: { restart: async (): Promise<EngineStatus> => ({ state: 'running' }), call: async (method, request) => void calls.push([method, request]) },
      resolveVideo: (videoId) => access.resolve(videoId),
      videoIds: [goneId, keptId],
    });
    expect(status).toEqual({ state: 'running' });
    expect(calls).toEqual([['openVideo', { path: kept, videoId: keptId }]]);
  });

  it('does not reopen anything when the engine did not come back', async () => {
    const calls: unknown[] = [];
    const status = await restartAndReopen({
      engine: { restart: async (): Promise<EngineStatus> => ({ state: 'crashed', message: 'no' }), call: async (method) => void calls.push(method) },
      resolveVideo: async () => '/x',
      videoIds: ['a'],
    });
    expect(status.state).toBe('crashed');
    expect(calls).toEqual([]);
  });
});

describe('VideoOpener', () => {
  it('opens startup videos in order, reports failures, and settles after all of them', async () => {
    const log: string[] = [];
    const gate = deferred();
    const opener = new VideoOpener({
      openAtStartup: async (path) => {
        if (path === '/slow.mp4') await gate.promise;
        if (path === '/bad.txt') throw new LongviewError('input', 'not-a-video', 'not a video');
        log.push(`opened ${path}`);
        return opened(path);
      },
      open: async () => opened('x'),
      announce: (video) => log.push(`announced ${video.videoId}`),
      reportError: (path, error) => log.push(`error ${path} ${(error as LongviewError).reason}`),
    });
    opener.openAtStartup(['/slow.mp4', '/bad.txt', '/c.mp4']);
    let settled = false;
    const done = opener.startupSettled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    gate.resolve();
    await done;
    expect(log).toEqual(['opened /slow.mp4', 'error /bad.txt not-a-video', 'opened /c.mp4']);
  });

  it('announces later videos and reports the ones that fail instead of throwing', async () => {
    const log: string[] = [];
    const opener = new VideoOpener({
      openAtStartup: async () => opened('s'),
      open: async (path) => {
        if (path.endsWith('.txt')) throw new LongviewError('input', 'not-a-video', 'no');
        return opened('later', path);
      },
      announce: (video) => log.push(`announced ${video.path}`),
      reportError: (path) => log.push(`error ${path}`),
    });
    await opener.openAndAnnounce('/videos/later.mp4');
    await expect(opener.openAndAnnounce('/notes.txt')).resolves.toBeUndefined();
    expect(log).toEqual(['announced /videos/later.mp4', 'error /notes.txt']);
  });
});
