/**
 * main.ts wired end to end without the Electron binary: 'electron' is the recording stand-in of
 * fake-electron.ts, everything else is real (the engine process, ffprobe/ffmpeg, the video access
 * grants, the protocol handlers, the IPC checks). A video named on the command line is opened at
 * startup, streamed through longview-media:, and still usable after the engine crashes and restarts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineStatus, OpenedVideo } from '../../src/shared/api.js';
import { REQUEST_CHANNEL, type IpcResult } from '../../electron/ipc-result.js';
import { makeVideo } from '../video/make-videos.js';
import { recorded, type FakeWindow } from './fake-electron.js';

vi.mock('electron', async () => import('./fake-electron.js'));

const root = mkdtempSync(join(tmpdir(), 'longview-main-'));
let video: string;
let window: FakeWindow;
const savedArgv = process.argv;
const savedEnvironment = { data: process.env.LONGVIEW_DATA_DIR, cache: process.env.LONGVIEW_CACHE_DIR };

function invoke(method: string, request: unknown, from?: { id: number; url: string }): Promise<IpcResult> {
  const handler = recorded.ipc.get(REQUEST_CHANNEL) as (event: unknown, method: string, request: unknown) => Promise<IpcResult>;
  const contents = window.webContents;
  const frame = from === undefined ? contents.mainFrame : { url: from.url, parent: null };
  return handler({ sender: { id: from?.id ?? contents.id, mainFrame: frame }, senderFrame: frame }, method, request);
}

async function ok<T>(method: string, request: unknown): Promise<T> {
  const result = await invoke(method, request);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.message}`);
  return result.response as T;
}

/** Resolves once the window has been sent an engineStatus in `state`. */
async function statusSent(state: EngineStatus['state'], after: number): Promise<void> {
  for (;;) {
    if (window.webContents.sent.slice(after).some(([, event, payload]) => event === 'engineStatus' && (payload as EngineStatus).state === state)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

beforeAll(async () => {
  video = await makeVideo(root, { name: 'clip', seconds: 2, fps: 10, width: 64, height: 48, codec: 'h264', container: 'mp4' });
  process.env.LONGVIEW_DATA_DIR = join(root, 'data');
  process.env.LONGVIEW_CACHE_DIR = join(root, 'cache');
  process.argv = [process.execPath, video];
  await import('../../electron/main.js');
  while (recorded.windows.length === 0) await new Promise((resolve) => setImmediate(resolve));
  window = recorded.windows[0]!;
});

afterAll(() => {
  process.argv = savedArgv;
  if (savedEnvironment.data === undefined) delete process.env.LONGVIEW_DATA_DIR;
  else process.env.LONGVIEW_DATA_DIR = savedEnvironment.data;
  if (savedEnvironment.cache === undefined) delete process.env.LONGVIEW_CACHE_DIR;
  else process.env.LONGVIEW_CACHE_DIR = savedEnvironment.cache;
  for (const child of recorded.engines) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('main.ts', () => {
  it('registers both schemes, the permission guards and one locked-down window on the app page', () => {
    expect(recorded.privilegedSchemes.map((entry) => (entry as { scheme: string }).scheme)).toEqual(['app', 'longview-media']);
    expect([...recorded.protocols.keys()].sort()).toEqual(['app', 'longview-media']);
    expect(recorded.permissionHandlersSet).toBe(2);
    expect(window.webContents.getURL()).toBe('app://longview/index.html');
    expect(window.options).toMatchObject({ webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect((window.options as { webPreferences: { preload: string } }).webPreferences.preload).toMatch(/preload\.cjs$/);
  });

  it('opens the command line video at startup and streams it through longview-media:', async () => {
    const [opened, ...others] = await ok<OpenedVideo[]>('startupVideos', {});
    expect(others).toEqual([]);
    expect(opened).toMatchObject({ name: 'clip.mp4', path: video });
    expect(opened!.mediaUrl).toBe(`longview-media://video/${opened!.videoId}`);
    const media = recorded.protocols.get('longview-media')!;
    const response = await media(new Request(opened!.mediaUrl, { headers: { Range: 'bytes=0-99' } }));
    expect(response.status).toBe(206);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(readFileSync(video).subarray(0, 100));
  });

  it('answers as the Electron host and refuses other senders', async () => {
    await expect(ok('getEnvironment', {})).resolves.toMatchObject({ host: 'electron', canChooseFiles: true, dataFolder: join(root, 'data') });
    await expect(invoke('getEnvironment', {}, { id: 999, url: 'app://longview/index.html' })).resolves.toMatchObject({ ok: false, error: { reason: 'untrusted-sender' } });
    await expect(invoke('getEnvironment', {}, { id: window.webContents.id, url: 'file:///tmp/x.html' })).resolves.toMatchObject({ ok: false, error: { reason: 'untrusted-sender' } });
    await expect(invoke('openVideo', { path: join(root, 'missing.mp4') })).resolves.toMatchObject({ ok: false, error: { kind: 'input' } });
  });

  it('lists the opened video under File ▸ Open Recent', async () => {
    await ok('openVideo', { path: video });
    for (;;) {
      const menu = recorded.menus.at(-1) as { label?: string; submenu?: { id?: string; submenu?: { label: string }[] }[] }[] | undefined;
      const recent = menu?.find((item) => item.label === '&File')?.submenu?.find((item) => item.id === 'open-recent')?.submenu;
      if (recent?.some((item) => item.label === 'clip.mp4')) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('survives an engine crash: crashed status, restart, and the open video works again', async () => {
    const [opened] = await ok<OpenedVideo[]>('startupVideos', {});
    const before = window.webContents.sent.length;
    recorded.engines.at(-1)!.kill('SIGKILL');
    await statusSent('crashed', before);
    await expect(invoke('getSettings', {})).resolves.toMatchObject({ ok: false, error: { kind: 'backend', reason: 'engine-crashed' } });

    await expect(ok('restartEngine', {})).resolves.toEqual({ state: 'running' });
    await statusSent('running', before);
    // The fresh engine knows the video again under its old id.
    const thumbnails = await ok<{ time: number; jpeg: Uint8Array }[]>('thumbnails', { videoId: opened!.videoId, times: [0.5], height: 24 });
    expect(thumbnails).toHaveLength(1);
    expect([...thumbnails[0]!.jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });
});
