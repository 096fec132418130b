/**
 * `longview serve` end to end, in-process: the guards over real HTTP and WebSocket connections,
 * and a real analysis of a generated video with the fixture model over the socket. (The model's
 * worker runs the built dist/ code; `npm test` builds first.)
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisSnapshot, AnalysisUpdate, EditedSegment, ExportResult, OpenedVideo, SavedEdits, Settings, Thumbnail } from '../../src/shared/api.js';
import type { Segment } from '../../src/shared/analysis.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { makeVideo } from '../video/make-videos.js';
import { temporaryFolder } from '../video/test-files.js';
import { ApiClient } from './api-client.js';

const TINY = new URL('../fixtures/timesformer/divided-tiny', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(new URL('../../resources/schemas/longview-analysis.v1.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ strict: true }).compile(schema);

let folder: { path: string; remove: () => void };
let video: string;
let longVideo: string;
let server: RunningServer;
const servers: RunningServer[] = [];

function options() {
  return { dataFolder: join(folder.path, 'data'), cacheDirectory: join(folder.path, 'cache'), rendererRoot: join(folder.path, 'renderer') };
}

async function start(videos: string[] = []): Promise<RunningServer> {
  const started = await startServer({ ...options(), videos });
  servers.push(started);
  return started;
}

beforeAll(async () => {
  folder = temporaryFolder('longview-serve-');
  mkdirSync(join(folder.path, 'renderer'));
  writeFileSync(join(folder.path, 'renderer', 'index.html'), '<!doctype html><title>Longview</title>');
  video = await makeVideo(folder.path, { name: 'clip', seconds: 3, fps: 30, width: 96, height: 64, codec: 'h264', container: 'mp4' });
  longVideo = await makeVideo(folder.path, { name: 'long', seconds: 30, fps: 30, width: 96, height: 64, codec: 'h264', container: 'mp4' });
  server = await start([video]);
});
afterAll(async () => {
  for (const running of servers) await running.close();
  folder.remove();
});

/** A raw HTTP request, with whatever Host header the test wants. */
function get(path: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port: server.port, path, headers: { Host: host, ...headers }, setHost: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode!, body: Buffer.concat(chunks), headers: incoming.headers }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const own = (): string => `127.0.0.1:${server.port}`;
const connect = (target = server): Promise<ApiClient> => ApiClient.connect(`ws://127.0.0.1:${target.port}/api?token=${target.token}`, `http://127.0.0.1:${target.port}`);

describe('guards', () => {
  it('listens on 127.0.0.1 with a 256-bit token in the URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
  });

  it('serves the renderer to its own Host only', async () => {
    const page = await get('/', own());
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>Longview</title>');
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect((await get('/', `localhost:${server.port}`)).status).toBe(200);
    expect((await get('/', 'evil.example')).status).toBe(421);
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(421);
    expect((await get('/', `127.0.0.1:${server.port + 1}`)).status).toBe(421);
  });

  it('refuses traversal on the wire', async () => {
    for (const path of ['/../clip.mp4', '/%2e%2e/clip.mp4', '/..%2fclip.mp4', '/..\\clip.mp4']) {
      const answer = await get(path, own());
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
    }
  });

  it('serves media with the token only, with ranges', async () => {
    const opened = server.startupVideos[0]!;
    expect(opened.mediaUrl).toBe(`/media/${opened.videoId}?token=${server.token}`);
    const bytes = readFileSync(video);
    const full = await get(opened.mediaUrl, own());
    expect(full.status).toBe(200);
    expect(full.body.equals(bytes)).toBe(true);
    const range = await get(opened.mediaUrl, own(), { Range: 'bytes=10-19' });
    expect(range.status).toBe(206);
    expect(range.body.equals(bytes.subarray(10, 20))).toBe(true);
    expect((await get(`/media/${opened.videoId}`, own())).status).toBe(403);
    expect((await get(`/media/${opened.videoId}?token=${'A'.repeat(server.token.length)}`, own())).status).toBe(403);
    expect((await get(opened.mediaUrl, 'evil.example')).status).toBe(421);
    expect((await get(`/media/unknown?token=${server.token}`, own())).status).toBe(404);
  });

  it.each([
    ['a wrong token', (port: number) => `ws://127.0.0.1:${port}/api?token=wrong`, (port: number) => `http://127.0.0.1:${port}`, 403],
    ['no token', (port: number) => `ws://127.0.0.1:${port}/api`, (port: number) => `http://127.0.0.1:${port}`, 403],
    ['a foreign Origin', (port: number) => `ws://127.0.0.1:${port}/api?token=${server.token}`, () => 'http://evil.example', 403],
    ['an Origin on another port', (port: number) => `ws://127.0.0.1:${port}/api?token=${server.token}`, (port: number) => `http://127.0.0.1:${port + 1}`, 403],
  ])('refuses a WebSocket with %s', async (_, url, origin, status) => {
    await expect(ApiClient.connect(url(server.port), origin(server.port))).rejects.toThrow(`refused with ${status}`);
  });

  it('refuses a WebSocket upgrade with a foreign Host', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest({
        host: '127.0.0.1',
        port: server.port,
        path: `/api?token=${server.token}`,
        setHost: false,
        headers: { Host: 'evil.example', Origin: 'http://evil.example', Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      });
      outgoing.on('response', (incoming) => resolve(incoming.statusCode!));
      outgoing.on('upgrade', () => reject(new Error('upgraded')));
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(status).toBe(421);
  });

  it('accepts a WebSocket with the token and its own origin', async () => {
    const client = await connect();
    const environment = await client.call<{ host: string; canChooseFiles: boolean }>('getEnvironment', {});
    expect(environment).toMatchObject({ host: 'browser', canChooseFiles: false });
    client.close();
  });
});

describe('the API over the socket', () => {
  let client: ApiClient;
  let opened: OpenedVideo;
  let snapshot: AnalysisSnapshot;
  const analysis = { model: TINY, windowFrames: 8, frameStride: 3, windowStrideSeconds: 0.4 };

  beforeAll(async () => {
    client = await connect();
  });
  afterAll(() => client.close());

  it('lists the startup video and opens videos by path, refusing bad ones with their class', async () => {
    const startup = await client.call<OpenedVideo[]>('startupVideos', {});
    expect(startup.map((item) => item.path)).toEqual([video]);
    opened = await client.call<OpenedVideo>('openVideo', { path: video });
    expect(opened).toMatchObject({ name: 'clip.mp4', path: video, info: { width: 96, height: 64 } });
    expect(opened.videoId).not.toBe(startup[0]!.videoId);
    await expect(client.call('openVideo', { path: join(folder.path, 'missing.mp4') })).rejects.toMatchObject({ kind: 'input', reason: 'not-found' });
    await expect(client.call('openVideo', { path: 42 })).rejects.toMatchObject({ kind: 'usage' });
    await expect(client.call('chooseVideo', {})).rejects.toMatchObject({ kind: 'usage', reason: 'not-available' });
    await expect(client.call('noSuchMethod', {})).rejects.toMatchObject({ kind: 'usage' });
    const recent = await client.call<{ path: string; exists: boolean }[]>('recentVideos', {});
    expect(recent[0]).toMatchObject({ path: video, exists: true });
  });

  it('streams a full analysis: started, events with segments after every window, completed', async () => {
    const { jobId } = await client.call<{ jobId: string }>('startAnalysis', { videoId: opened.videoId, ...analysis, backend: 'auto', resume: true });
    const end = await client.next((update) => update.jobId === jobId && (update.type === 'completed' || update.type === 'failed' || update.type === 'cancelled'));
    expect(end.type, JSON.stringify(end)).toBe('completed');
    const updates = client.updates.filter((update) => update.jobId === jobId);
    expect(updates[0]!.type).toBe('started');
    expect(updates[0]).toMatchObject({ videoId: opened.videoId, model: { labels: ['label_0', 'label_1', 'label_2', 'label_3', 'label_4'] } });
    const kinds = updates.map((update) => (update.type === 'event' ? update.event.type : update.type)).filter((kind) => kind !== 'layer');
    // After every window: its segments.
    kinds.forEach((kind, index) => {
      if (kind === 'window') expect(kinds[index + 1]).toBe('segments');
    });
    expect(kinds.filter((kind) => kind === 'window')).toHaveLength(7);
    expect(kinds.filter((kind) => kind !== 'window' && kind !== 'segments')).toEqual(['started', 'probed', 'model', 'plan', 'loaded', 'decoded', 'finished', 'completed']);
    snapshot = (end as Extract<AnalysisUpdate, { type: 'completed' }>).snapshot;
    expect(snapshot.windows).toHaveLength(7);
    expect(snapshot.windows[0]!.heatmap.data).toBeInstanceOf(Uint8Array);
    expect(snapshot).toMatchObject({ videoId: opened.videoId, complete: true, partialReason: null, sampling: { windowFrames: 8, frameStride: 3 } });
  });

  it('re-segments the stored scores and finds the finished run again without the model', async () => {
    const loose = await client.call<Segment[]>('resegment', { analysisId: snapshot.analysisId, segmentation: { ...snapshot.segmentation, enterThreshold: 0.05, exitThreshold: 0.01, minDurationSeconds: 0 } });
    expect(loose.length).toBeGreaterThan(0);
    expect(loose[0]!.startSeconds).toBeCloseTo(0, 6);
    const found = await client.call<AnalysisSnapshot | null>('getAnalysis', { videoId: opened.videoId, ...analysis });
    expect(found).not.toBeNull();
    expect(found!.analysisId).not.toBe(snapshot.analysisId);
    expect(found!.windows.map((window) => window.logits)).toEqual(snapshot.windows.map((window) => window.logits));
    expect(await client.call('getAnalysis', { videoId: opened.videoId, ...analysis, windowFrames: 4 })).toBeNull();
    await expect(client.call('resegment', { analysisId: 'unknown', segmentation: snapshot.segmentation })).rejects.toMatchObject({ reason: 'unknown-analysis' });
  });

  it('exports edited segments as JSON that validates against the schema, and as CSV', async () => {
    const segments: EditedSegment[] = [
      { id: 'b', startSeconds: 1.5, endSeconds: 3, label: 'label_2', labelIndex: 2, confidence: 0.4, origin: 'edited' },
      { id: 'a', startSeconds: 0, endSeconds: 1.5, label: 'label_1', labelIndex: 1, confidence: 0.6, origin: 'model' },
    ];
    const json = await client.call<ExportResult>('exportAnalysis', { analysisId: snapshot.analysisId, format: 'json', segments, destination: 'text' });
    expect(json).toMatchObject({ fileName: 'clip.longview.json', mimeType: 'application/json', savedPath: null });
    const document = JSON.parse(json.text!) as { segments: { label: string; startFrame: number; endFrame: number; alternatives: { index: number }[] }[] };
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(document.segments.map((segment) => [segment.label, segment.startFrame, segment.endFrame])).toEqual([['label_1', 0, 45], ['label_2', 45, 90]]);
    expect(document.segments[0]!.alternatives).toHaveLength(3);
    expect(document.segments[0]!.alternatives.map((alternative) => alternative.index)).not.toContain(1);
    const csv = await client.call<ExportResult>('exportAnalysis', { analysisId: snapshot.analysisId, format: 'csv', segments, destination: 'text' });
    expect(csv.text).toContain('label_2');
    await expect(client.call('exportAnalysis', { analysisId: snapshot.analysisId, format: 'json', segments: [{ ...segments[0]!, labelIndex: 9 }], destination: 'text' })).rejects.toMatchObject({ kind: 'usage' });
    await expect(client.call('exportAnalysis', { analysisId: snapshot.analysisId, format: 'json', segments, destination: 'dialog' })).rejects.toMatchObject({ kind: 'usage' });
  });

  it('cancels a running analysis', async () => {
    const long = await client.call<OpenedVideo>('openVideo', { path: longVideo });
    const { jobId } = await client.call<{ jobId: string }>('startAnalysis', { videoId: long.videoId, ...analysis, backend: 'auto', resume: false });
    await client.next((update) => update.jobId === jobId && update.type === 'event' && update.event.type === 'window');
    expect(await client.call('cancelAnalysis', { jobId })).toEqual({ cancelled: true });
    const end = await client.next((update) => update.jobId === jobId && (update.type === 'completed' || update.type === 'failed' || update.type === 'cancelled'));
    expect(end.type).toBe('cancelled');
    expect(await client.call('cancelAnalysis', { jobId })).toEqual({ cancelled: false });
  });

  it('makes JPEG thumbnails', async () => {
    const pictures = await client.call<Thumbnail[]>('thumbnails', { videoId: opened.videoId, times: [0.5, 2], height: 32 });
    expect(pictures.map((picture) => picture.time)).toEqual([0.5, 2]);
    for (const picture of pictures) expect([...picture.jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it('keeps settings', async () => {
    const settings = await client.call<Settings>('getSettings', {});
    const changed = { ...settings, heatmap: { visible: false, opacity: 0.25 } };
    expect(await client.call('setSettings', changed)).toEqual(changed);
    expect(await client.call('getSettings', {})).toEqual(changed);
    await expect(client.call('setSettings', { ...changed, backend: 'gpu' })).rejects.toMatchObject({ kind: 'usage' });
  });

  it('round-trips edits, and they survive a server restart', async () => {
    expect(await client.call('loadEdits', { videoId: opened.videoId })).toBeNull();
    const edits: SavedEdits = {
      version: 1,
      analysisKey: 'divided-tiny 8x3',
      segments: [{ id: 'a', startSeconds: 0, endSeconds: 1, label: 'label_1', labelIndex: 1, confidence: 0.5, origin: 'edited' }],
      savedAt: '2000-01-01T00:00:00.000Z',
    };
    const { savedAt } = await client.call<{ savedAt: string }>('saveEdits', { videoId: opened.videoId, edits });
    expect(await client.call('loadEdits', { videoId: opened.videoId })).toEqual({ ...edits, savedAt });

    const second = await start();
    const other = await connect(second);
    const reopened = await other.call<OpenedVideo>('openVideo', { path: video });
    expect(await other.call('loadEdits', { videoId: reopened.videoId })).toEqual({ ...edits, savedAt });
    expect((await other.call<Settings>('getSettings', {})).heatmap).toEqual({ visible: false, opacity: 0.25 });
    other.close();
  });
});
