/**
 * Interrupted downloads: a broken connection and a cancel both leave blobs/<etag>.incomplete,
 * and the next pull asks for the rest with Range and ends with the right SHA-256.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pullModel } from '../../../src/models/hub/pull.js';
import { generatedRepository, sha256Hex } from '../mock-hub.js';
import { collectEvents, listTree, mockHubPerFile, settingsFor, temporaryCache } from './pull-helpers.js';

const REPOSITORY = 'test/large-weights';
const FOLDER = 'models--test--large-weights';
/** 3 MiB: several progress steps and many chunks. */
const weights = randomBytes(3 * 1024 * 1024);
const weightsSha = sha256Hex(weights);
const incompletePath = (cache: string): string => join(cache, FOLDER, 'blobs', `${weightsSha}.incomplete`);

const mock = mockHubPerFile(() => [generatedRepository(REPOSITORY, weights)]);

function sha256OfFile(path: string): string {
  return sha256Hex(readFileSync(path));
}

describe('resuming', () => {
  it('resumes a download the network cut, with Range, and verifies the whole file', async () => {
    const cache = temporaryCache();
    const settings = settingsFor(mock.current().url, cache);
    const cutAt = 1_000_000;
    mock.current().knobs.cutAfterBytes = cutAt;
    const failure = await pullModel(REPOSITORY, { settings }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'backend', reason: 'network' });
    expect((failure as Error).message).toMatch(/run the same command again to resume/);
    const kept = statSync(incompletePath(cache)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(cutAt);

    mock.current().requests.length = 0;
    const { events, onEvent } = collectEvents();
    const result = await pullModel(REPOSITORY, { settings, onEvent });
    const cdn = mock.current().requestsTo('/cdn-lfs/');
    expect(cdn.map((request) => request.headers.range)).toEqual([`bytes=${kept}-`]);
    expect(events).toContainEqual({ type: 'file', name: 'model.safetensors', sizeBytes: weights.length, resumedFromBytes: kept, cached: false });
    expect(events).toContainEqual({ type: 'verified', name: 'model.safetensors', sha256: weightsSha });
    expect(events.at(-1)).toMatchObject({ type: 'done', downloadedBytes: weights.length - kept });
    expect(sha256OfFile(join(result.path, 'model.safetensors'))).toBe(weightsSha);
    expect(listTree(join(cache, FOLDER)).filter((path) => path.endsWith('.incomplete'))).toEqual([]);
  });

  it('a cancel leaves a resumable .incomplete', async () => {
    const cache = temporaryCache();
    const settings = settingsFor(mock.current().url, cache);
    mock.current().knobs.stallAfterBytes = 2_000_000;
    const controller = new AbortController();
    const failure = await pullModel(REPOSITORY, {
      settings,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'progress' && event.fileReceivedBytes >= 1_000_000) controller.abort();
      },
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'usage', reason: 'cancelled' });
    const kept = statSync(incompletePath(cache)).size;
    expect(kept).toBeGreaterThanOrEqual(1_000_000);
    expect(kept).toBeLessThanOrEqual(2_000_000);

    delete mock.current().knobs.stallAfterBytes;
    mock.current().requests.length = 0;
    const result = await pullModel(REPOSITORY, { settings });
    expect(mock.current().requestsTo('/cdn-lfs/').map((request) => request.headers.range)).toEqual([`bytes=${kept}-`]);
    expect(sha256OfFile(join(result.path, 'model.safetensors'))).toBe(weightsSha);
  });

  it('rejects a full-length partial file with wrong bytes without asking the server, and deletes it', async () => {
    const cache = temporaryCache();
    mkdirSync(join(cache, FOLDER, 'blobs'), { recursive: true });
    writeFileSync(incompletePath(cache), Buffer.alloc(weights.length, 7));
    const failure = await pullModel(REPOSITORY, { settings: settingsFor(mock.current().url, cache) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'model', reason: 'checksum-mismatch' });
    expect(mock.current().requestsTo('/cdn-lfs/')).toEqual([]);
    expect(listTree(join(cache, FOLDER)).filter((path) => path.includes(weightsSha))).toEqual([]);
    const result = await pullModel(REPOSITORY, { settings: settingsFor(mock.current().url, cache) });
    expect(sha256OfFile(join(result.path, 'model.safetensors'))).toBe(weightsSha);
  });

  it('starts from byte 0, without Range, when the partial file is longer than the blob', async () => {
    const cache = temporaryCache();
    mkdirSync(join(cache, FOLDER, 'blobs'), { recursive: true });
    writeFileSync(incompletePath(cache), Buffer.alloc(weights.length + 10, 7));
    const result = await pullModel(REPOSITORY, { settings: settingsFor(mock.current().url, cache) });
    expect(mock.current().requestsTo('/cdn-lfs/').map((request) => request.headers.range)).toEqual([undefined]);
    expect(sha256OfFile(join(result.path, 'model.safetensors'))).toBe(weightsSha);
  });

  it('a corrupted earlier part is caught after the resume, and nothing is left behind', async () => {
    const cache = temporaryCache();
    mkdirSync(join(cache, FOLDER, 'blobs'), { recursive: true });
    const damaged = Buffer.from(weights.subarray(0, 500_000));
    damaged[10] = (damaged[10] ?? 0) ^ 1;
    writeFileSync(incompletePath(cache), damaged);
    const failure = await pullModel(REPOSITORY, { settings: settingsFor(mock.current().url, cache) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'model', reason: 'checksum-mismatch' });
    expect(mock.current().requestsTo('/cdn-lfs/').map((request) => request.headers.range)).toEqual(['bytes=500000-']);
    expect(listTree(join(cache, FOLDER)).filter((path) => path.includes(weightsSha) || path.endsWith('model.safetensors'))).toEqual([]);
  });
});
