/**
 * HTTP_PROXY is honoured (Node's own fetch ignores it): a tiny proxy on 127.0.0.1 that tunnels
 * CONNECT (undici's ProxyAgent tunnels every request) and records what it was asked for.
 * NO_PROXY listing the Hub's host bypasses it.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubSettings } from '../../../src/models/hub/hub-settings.js';
import { pullModel } from '../../../src/models/hub/pull.js';
import { fixtureRepository, startMockHub, type MockHub } from '../mock-hub.js';
import { removeTemporaryCaches, temporaryCache } from './pull-helpers.js';

const REPOSITORY = 'facebook/timesformer-tiny-test';

let hub: MockHub;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];

beforeAll(async () => {
  hub = await startMockHub({ repositories: [fixtureRepository(REPOSITORY)] });
  proxy = createServer((_request, response) => {
    response.writeHead(501).end();
  });
  proxy.on('connect', (request, client, head) => {
    const target = request.url ?? '';
    tunnels.push(target);
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((done) => proxy.close(() => done()));
  await hub.close();
  removeTemporaryCaches();
});

describe('proxies', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['HTTP_PROXY', { HTTP_PROXY: 'PROXY' }, true],
    ['http_proxy (lower case)', { http_proxy: 'PROXY' }, true],
    ['NO_PROXY listing the Hub host', { HTTP_PROXY: 'PROXY', NO_PROXY: 'localhost,127.0.0.1' }, false],
  ];
  it.each(cases)('%s', async (_name, variables, throughProxy) => {
    tunnels.length = 0;
    const env: Record<string, string> = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: temporaryCache() };
    for (const [name, value] of Object.entries(variables)) env[name] = value === 'PROXY' ? proxyUrl : value;
    const result = await pullModel(`${REPOSITORY}@refs/pr/5`, { settings: hubSettings(env, '/nonexistent-home', () => undefined) });
    expect(result.files).toContain('model.safetensors');
    if (throughProxy) expect(tunnels).toContain(`127.0.0.1:${hub.port}`);
    else expect(tunnels).toEqual([]);
  });
});
