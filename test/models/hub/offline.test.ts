/**
 * Without the Hub: HF_HUB_OFFLINE uses the cache and no network at all; an unreachable endpoint
 * falls back to a complete cached model and says so; both fail clearly when the model is absent.
 * A cache written the way huggingface_hub writes it (by hand here) is found too.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullModel, resolveCachedModel } from '../../../src/models/hub/pull.js';
import { fixtureRepository, sha256Hex, startMockHub, type MockHub } from '../mock-hub.js';
import { collectEvents, removeTemporaryCaches, settingsFor, temporaryCache } from './pull-helpers.js';

const REPOSITORY = 'facebook/timesformer-tiny-test';
const fixture = fixtureRepository(REPOSITORY);
const pr5 = fixture.revisions[1]!;

let hub: MockHub;
/** An endpoint nothing listens on: a port that was free a moment ago. */
let closedEndpoint: string;
let filledCache: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

beforeAll(async () => {
  hub = await startMockHub({ repositories: [fixture] });
  closedEndpoint = `http://127.0.0.1:${await freePort()}`;
  filledCache = temporaryCache();
  await pullModel(`${REPOSITORY}@refs/pr/5`, { settings: settingsFor(hub.url, filledCache) });
  await hub.close();
});
afterAll(() => removeTemporaryCaches());

describe('offline mode', () => {
  it('answers from the cache without any request', async () => {
    const before = hub.requests.length;
    const { events, onEvent } = collectEvents();
    const result = await pullModel(`${REPOSITORY}@refs/pr/5`, { settings: settingsFor(closedEndpoint, filledCache, { offline: true }), onEvent });
    expect(result).toMatchObject({ commit: pr5.commit, source: 'cache' });
    expect(result.files).toEqual(['config.json', 'README.md', 'model.safetensors']);
    expect(hub.requests.length).toBe(before);
    expect(events.map((event) => event.type)).toEqual(['resolved', 'file', 'file', 'file', 'done']);
  });

  it('fails naming the model and offline mode when the model is not cached', async () => {
    const failure = await pullModel(REPOSITORY, { settings: settingsFor(closedEndpoint, filledCache, { offline: true }) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'model', reason: 'offline-not-cached' });
    expect((failure as Error).message).toMatch(/facebook\/timesformer-tiny-test@main is not.*HF_HUB_OFFLINE/);
  });
});

describe('an unreachable Hub', () => {
  it('uses a complete cached model and says so', async () => {
    const result = await pullModel(`${REPOSITORY}@refs/pr/5`, { settings: settingsFor(closedEndpoint, filledCache) });
    expect(result.source).toBe('cache');
    expect(result.notes.join(' ')).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): using .* from the cache/);
  });

  it('fails with the reason and what to do when the model is not cached', async () => {
    const failure = await pullModel(REPOSITORY, { settings: settingsFor(closedEndpoint, temporaryCache()) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'backend', reason: 'network' });
    expect((failure as Error).message).toMatch(/Cannot reach .*ECONNREFUSED.*HF_HUB_OFFLINE=1/);
  });
});

describe('resolveCachedModel', () => {
  it('finds a model huggingface_hub downloaded (written by hand in its layout)', () => {
    const cache = temporaryCache();
    const folder = join(cache, 'models--someone--python-model');
    const commit = 'c'.repeat(40);
    const config = '{"model_type":"timesformer"}';
    const weights = 'not really weights';
    mkdirSync(join(folder, 'blobs'), { recursive: true });
    mkdirSync(join(folder, 'snapshots', commit), { recursive: true });
    mkdirSync(join(folder, 'refs'), { recursive: true });
    writeFileSync(join(folder, 'blobs', 'cfg0'), config);
    writeFileSync(join(folder, 'blobs', sha256Hex(Buffer.from(weights))), weights);
    symlinkSync('../../blobs/cfg0', join(folder, 'snapshots', commit, 'config.json'));
    symlinkSync(`../../blobs/${sha256Hex(Buffer.from(weights))}`, join(folder, 'snapshots', commit, 'model.safetensors'));
    writeFileSync(join(folder, 'refs', 'main'), commit);
    const settings = settingsFor(closedEndpoint, cache);
    expect(resolveCachedModel('someone/python-model', settings)).toBe(join(folder, 'snapshots', commit));
    expect(resolveCachedModel(`someone/python-model@${commit}`, settings)).toBe(join(folder, 'snapshots', commit));
    expect(resolveCachedModel('someone/python-model@other', settings)).toBeUndefined();
    // A snapshot whose weights link dangles (blob deleted) is not a usable model.
    rmSync(join(folder, 'blobs', sha256Hex(Buffer.from(weights))));
    expect(resolveCachedModel('someone/python-model', settings)).toBeUndefined();
  });

  it('finds the pulled model by revision, and nothing for revisions never pulled', () => {
    const settings = settingsFor(closedEndpoint, filledCache);
    expect(resolveCachedModel(`${REPOSITORY}@refs/pr/5`, settings)).toBe(join(filledCache, 'models--facebook--timesformer-tiny-test', 'snapshots', pr5.commit));
    expect(resolveCachedModel(REPOSITORY, settings)).toBeUndefined();
    expect(resolveCachedModel('nobody/nothing', settings)).toBeUndefined();
  });
});
