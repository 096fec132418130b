/**
 * Full pulls from the mock Hub into a temporary HF cache: the layout huggingface_hub writes,
 * verification, cache reuse, refs/pr/N, tokens and Hub errors.
 */
import { existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../../src/files/process-lock.js';
import { downloadLockPath } from '../../../src/models/hub/cache-layout.js';
import { pullModel, resolveCachedModel } from '../../../src/models/hub/pull.js';
import { LongviewError } from '../../../src/shared/errors.js';
import { fakeCommit, fixtureRepository, gitBlobSha1Hex, MODEL_CARD, sha256Hex, startMockHub } from '../mock-hub.js';
import { collectEvents, listTree, mockHubPerFile, settingsFor, temporaryCache } from './pull-helpers.js';

const REPOSITORY = 'facebook/timesformer-tiny-test';
const FOLDER = 'models--facebook--timesformer-tiny-test';
const fixture = fixtureRepository(REPOSITORY);
const pr5 = fixture.revisions[1]!;
const main = fixture.revisions[0]!;
const bytesOf = (revision: typeof main, path: string): Buffer => revision.files.find((file) => file.path === path)!.bytes;

const mock = mockHubPerFile(() => [fixture, fixtureRepository('gated/model')]);

describe('pullModel', () => {
  it('writes the standard HF cache layout, the one huggingface_hub writes', async () => {
    const cache = temporaryCache();
    const { events, onEvent } = collectEvents();
    const result = await pullModel(`${REPOSITORY}@refs/pr/5`, { settings: settingsFor(mock.current().url, cache), onEvent });

    const safetensorsSha = sha256Hex(bytesOf(pr5, 'model.safetensors'));
    const configSha1 = gitBlobSha1Hex(bytesOf(pr5, 'config.json'));
    const cardSha1 = gitBlobSha1Hex(Buffer.from(MODEL_CARD));
    expect(result).toMatchObject({ commit: pr5.commit, files: ['config.json', 'README.md', 'model.safetensors'], source: 'hub', notes: [] });
    expect(result.path).toBe(join(cache, FOLDER, 'snapshots', pr5.commit));
    // refs/pr/5 is a nested ref file, exactly as huggingface_hub writes it.
    expect(listTree(join(cache, FOLDER)).sort()).toEqual(
      [
        `blobs/${safetensorsSha}`,
        `blobs/${configSha1}`,
        `blobs/${cardSha1}`,
        'refs/refs/pr/5',
        `snapshots/${pr5.commit}/README.md`,
        `snapshots/${pr5.commit}/config.json`,
        `snapshots/${pr5.commit}/model.safetensors`,
      ].sort(),
    );
    expect(readFileSync(join(cache, FOLDER, 'refs/refs/pr/5'), 'utf8')).toBe(pr5.commit);
    expect(readlinkSync(join(result.path, 'model.safetensors'))).toBe(`../../blobs/${safetensorsSha}`);
    expect(realpathSync(join(result.path, 'config.json'))).toBe(realpathSync(join(cache, FOLDER, 'blobs', configSha1)));
    expect(readFileSync(join(result.path, 'model.safetensors')).equals(bytesOf(pr5, 'model.safetensors'))).toBe(true);
    expect(readFileSync(join(result.path, 'README.md'), 'utf8')).toContain('license: cc-by-nc-4.0');

    expect(events.map((event) => event.type)).toEqual(['resolved', 'file', 'progress', 'verified', 'file', 'progress', 'verified', 'file', 'progress', 'verified', 'done']);
    expect(events[0]).toMatchObject({ type: 'resolved', commit: pr5.commit, revision: 'refs/pr/5', totalBytes: bytesOf(pr5, 'config.json').length + MODEL_CARD.length + bytesOf(pr5, 'model.safetensors').length });
    expect(events).toContainEqual({ type: 'verified', name: 'model.safetensors', sha256: safetensorsSha });
    // The bytes of the weights came from the CDN path, once.
    expect(mock.current().requestsTo('/cdn-lfs/').map((request) => request.method)).toEqual(['GET']);
  });

  it('takes pytorch_model.bin from main, which has no safetensors, and says so', async () => {
    const cache = temporaryCache();
    const result = await pullModel(REPOSITORY, { settings: settingsFor(mock.current().url, cache) });
    expect(result.files).toEqual(['config.json', 'README.md', 'pytorch_model.bin']);
    expect(result.notes.join(' ')).toMatch(/has no safetensors weights/);
    expect(readFileSync(join(cache, FOLDER, 'refs/main'), 'utf8')).toBe(main.commit);
  });

  it('uses the cache on a second pull: no HEAD and no download of anything', async () => {
    const cache = temporaryCache();
    const settings = settingsFor(mock.current().url, cache);
    await pullModel(`${REPOSITORY}@refs/pr/5`, { settings });
    mock.current().requests.length = 0;
    const { events, onEvent } = collectEvents();
    const again = await pullModel(`${REPOSITORY}@refs/pr/5`, { settings, onEvent });
    expect(again.commit).toBe(pr5.commit);
    expect(mock.current().requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /api/models/${REPOSITORY}/revision/refs%2Fpr%2F5`]);
    expect(events.filter((event) => event.type === 'file').every((event) => event.type === 'file' && event.cached)).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'done', path: again.path, downloadedBytes: 0 });
  });

  it('reuses a blob another revision already downloaded (links it, does not fetch it)', async () => {
    const cache = temporaryCache();
    const settings = settingsFor(mock.current().url, cache);
    await pullModel(`${REPOSITORY}@refs/pr/5`, { settings, preferSafetensors: false });
    mock.current().requests.length = 0;
    const result = await pullModel(REPOSITORY, { settings });
    expect(mock.current().requestsTo('/cdn-lfs/')).toEqual([]);
    expect(readFileSync(join(result.path, 'pytorch_model.bin')).equals(bytesOf(main, 'pytorch_model.bin'))).toBe(true);
  });

  it('rejects corrupted bytes and leaves no blob, no .incomplete and no snapshot behind', async () => {
    const cache = temporaryCache();
    mock.current().knobs.corrupt = true;
    const failure = await pullModel(`${REPOSITORY}@refs/pr/5`, { settings: settingsFor(mock.current().url, cache) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LongviewError);
    expect(failure).toMatchObject({ kind: 'model', reason: 'checksum-mismatch' });
    const expected = sha256Hex(bytesOf(pr5, 'model.safetensors'));
    expect((failure as Error).message).toContain('model.safetensors');
    expect((failure as Error).message).toContain(expected);
    const tree = listTree(join(cache, FOLDER));
    expect(tree.filter((path) => path.includes(expected))).toEqual([]);
    expect(tree.filter((path) => path.endsWith('.incomplete') || path.includes('model.safetensors') || path.startsWith('refs/'))).toEqual([]);
    expect(resolveCachedModel(`${REPOSITORY}@refs/pr/5`, settingsFor(mock.current().url, cache))).toBeUndefined();
  });

  it('sends the token as Bearer to the Hub, and a missing token is refused clearly', async () => {
    mock.current().knobs.requireToken = 'hf_secret';
    const cache = temporaryCache();
    const refused = await pullModel(REPOSITORY, { settings: settingsFor(mock.current().url, cache) }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ kind: 'model', reason: 'hub-access-denied' });
    expect((refused as Error).message).toMatch(/HF_TOKEN/);
    mock.current().requests.length = 0;
    await pullModel(REPOSITORY, { settings: settingsFor(mock.current().url, cache, { token: 'hf_secret' }) });
    const hubRequests = mock.current().requests.filter((request) => !request.path.startsWith('/cdn-lfs/'));
    expect(hubRequests.length).toBeGreaterThan(0);
    expect(hubRequests.every((request) => request.headers.authorization === 'Bearer hf_secret')).toBe(true);
  });

  const notFound: [string, string, RegExp][] = [
    ['nobody/nothing', 'hub-repository-not-found', /nobody\/nothing was not found/],
    [`${REPOSITORY}@no-such-branch`, 'hub-revision-not-found', /Revision "no-such-branch" does not exist/],
  ];
  it.each(notFound)('%s → %s', async (reference, reason, message) => {
    const failure = await pullModel(reference, { settings: settingsFor(mock.current().url, temporaryCache()) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'model', reason });
    expect((failure as Error).message).toMatch(message);
  });

  it('one download of a blob at a time: a second pull is told who holds it, and goes once it is free', async () => {
    const cache = temporaryCache();
    const settings = settingsFor(mock.current().url, cache);
    const lockPath = downloadLockPath(cache, REPOSITORY, sha256Hex(bytesOf(pr5, 'model.safetensors')));
    mkdirSync(dirname(lockPath), { recursive: true });
    const held = acquireLock(lockPath, 'is downloading model.safetensors');
    await expect(pullModel(`${REPOSITORY}@refs/pr/5`, { settings })).rejects.toMatchObject({ kind: 'usage', reason: 'busy', message: expect.stringMatching(new RegExp(`pid ${process.pid}\\) is downloading model\\.safetensors`)) });
    held.release();
    const result = await pullModel(`${REPOSITORY}@refs/pr/5`, { settings });
    expect(readFileSync(join(result.path, 'model.safetensors'))).toEqual(bytesOf(pr5, 'model.safetensors'));
    expect(existsSync(lockPath)).toBe(false);
  });

  it('refuses a hostile id before any request', async () => {
    const failure = await pullModel('../../etc@main', { settings: settingsFor(mock.current().url, temporaryCache()) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'usage', reason: 'bad-repository' });
    expect(mock.current().requests).toEqual([]);
  });

  it('pins files by commit: a revision given as a commit hash writes no ref', async () => {
    const cache = temporaryCache();
    const result = await pullModel(`${REPOSITORY}@${fakeCommit(`${REPOSITORY}@refs/pr/5`)}`, { settings: settingsFor(mock.current().url, cache) });
    expect(result.commit).toBe(pr5.commit);
    expect(existsSync(join(cache, FOLDER, 'refs'))).toBe(false);
    expect(resolveCachedModel(`${REPOSITORY}@${pr5.commit}`, settingsFor(mock.current().url, cache))).toBe(result.path);
  });
});

describe('a CDN on another host', () => {
  it('never receives the token', async () => {
    const split = await startMockHub({ repositories: [fixture], cdnHost: 'localhost' });
    try {
      split.knobs.requireToken = 'hf_secret';
      const result = await pullModel(`${REPOSITORY}@refs/pr/5`, { settings: settingsFor(split.url, temporaryCache(), { token: 'hf_secret' }) });
      expect(existsSync(join(result.path, 'model.safetensors'))).toBe(true);
      const cdn = split.requestsTo('/cdn-lfs/');
      expect(cdn).toHaveLength(1);
      expect(cdn[0]?.host).toBe(`localhost:${split.port}`);
      expect(cdn[0]?.headers.authorization).toBeUndefined();
    } finally {
      await split.close();
    }
  });
});
