/** The engine as a message loop (as Electron's utility process runs it), over a real MessageChannel. */
import { MessageChannel, type MessagePort as NodePort } from 'node:worker_threads';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/shared/api.js';
import { LongviewError } from '../../src/shared/errors.js';
import { engineClient, serveEngine, type EngineClient } from '../../src/service/engine-endpoint.js';
import type { EngineService } from '../../src/service/engine-types.js';
import { temporaryFolder } from '../video/test-files.js';

function wrap(port: NodePort) {
  return { postMessage: (message: unknown) => port.postMessage(message), onMessage: (receive: (message: unknown) => void) => void port.on('message', receive) };
}

let folder: { path: string; remove: () => void };
let channel: MessageChannel;
let engine: EngineService;
let client: EngineClient;

beforeAll(() => {
  folder = temporaryFolder('longview-endpoint-');
  channel = new MessageChannel();
  engine = serveEngine(wrap(channel.port1), { dataFolder: join(folder.path, 'data'), cacheDirectory: join(folder.path, 'cache'), host: 'electron' });
  client = engineClient(wrap(channel.port2));
});
afterAll(async () => {
  await engine.dispose();
  channel.port1.close();
  channel.port2.close();
  folder.remove();
});

describe('serveEngine and engineClient', () => {
  it('answers requests', async () => {
    const settings = (await client.call('getSettings', {})) as Settings;
    expect(settings).toMatchObject({ model: null, backend: 'auto', heatmap: { visible: true } });
    expect(await client.call('getEnvironment', {})).toMatchObject({ host: 'electron', canChooseFiles: true, dataFolder: join(folder.path, 'data') });
    expect(await client.call('recentVideos', {})).toEqual([]);
  });

  it('turns failures into classified errors on the client side', async () => {
    await expect(client.call('getSettings', { stray: true })).rejects.toBeInstanceOf(LongviewError);
    await expect(client.call('getSettings', { stray: true })).rejects.toMatchObject({ kind: 'usage' });
    await expect(client.call('chooseVideo', {})).rejects.toMatchObject({ kind: 'usage' });
    await expect(client.call('loadEdits', { videoId: 'never-opened' })).rejects.toMatchObject({ reason: 'unknown-video' });
    await expect(client.call('openVideo', { path: join(folder.path, 'missing.mp4'), videoId: 'x' })).rejects.toMatchObject({ kind: 'input', reason: 'not-found' });
  });

  it('rejects pending and later calls once failed', async () => {
    client.fail(new LongviewError('internal', 'engine-crashed', 'The engine stopped.'));
    await expect(client.call('getSettings', {})).rejects.toMatchObject({ reason: 'engine-crashed' });
    client.reset();
    expect(await client.call('getSettings', {})).toMatchObject({ backend: 'auto' });
  });
});
