/** The cache paths are huggingface_hub's, and ETags are read the way it reads them. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blobPath, incompleteBlobPath, refPath, relativeBlobTarget, repositoryFolderName, snapshotFilePath } from '../../../src/models/hub/cache-layout.js';
import { checksumKind, ContentHasher, gitBlobSha1, normalizeEtag } from '../../../src/models/hub/content-hash.js';
import { chooseFiles } from '../../../src/models/hub/choose-files.js';
import { hubHttpError, hubNetworkError } from '../../../src/models/hub/hub-errors.js';
import { encodeRevision, resolveUrl } from '../../../src/models/hub/hub-client.js';

const CACHE = '/cache/hub';
const COMMIT = 'a'.repeat(40);

describe('cache layout', () => {
  it('names folders, blobs, snapshots and refs as huggingface_hub does', () => {
    expect(repositoryFolderName('facebook/timesformer-base-finetuned-k400')).toBe('models--facebook--timesformer-base-finetuned-k400');
    expect(blobPath(CACHE, 'org/name', 'e'.repeat(64))).toBe(`/cache/hub/models--org--name/blobs/${'e'.repeat(64)}`);
    expect(incompleteBlobPath(CACHE, 'org/name', 'abc')).toBe('/cache/hub/models--org--name/blobs/abc.incomplete');
    expect(snapshotFilePath(CACHE, 'org/name', COMMIT, 'sub/model.safetensors')).toBe(`/cache/hub/models--org--name/snapshots/${COMMIT}/sub/model.safetensors`);
  });

  const refCases: [string, string][] = [
    ['main', '/cache/hub/models--org--name/refs/main'],
    ['refs/pr/5', '/cache/hub/models--org--name/refs/refs/pr/5'],
    ['release/v1', '/cache/hub/models--org--name/refs/release/v1'],
  ];
  it.each(refCases)('ref file of %s', (revision, expected) => {
    expect(refPath(CACHE, 'org/name', revision)).toBe(expected);
  });

  const linkCases: [string, string][] = [
    ['config.json', '../../blobs/abc'],
    ['sub/model.safetensors', '../../../blobs/abc'],
    ['a/b/c/d.bin', '../../../../../blobs/abc'],
  ];
  it.each(linkCases)('snapshot link of %s points to %s', (path, target) => {
    expect(relativeBlobTarget(path, 'abc')).toBe(target);
  });
});

describe('ETags and hashes', () => {
  const etagCases: [string, string][] = [
    ['"abc123"', 'abc123'],
    ['W/"abc123"', 'abc123'],
    ['abc123', 'abc123'],
    ['  "abc123" ', 'abc123'],
  ];
  it.each(etagCases)('normalizes %j', (raw, expected) => {
    expect(normalizeEtag(raw)).toBe(expected);
  });

  it('tells SHA-256, git SHA-1 and unverifiable ETags apart', () => {
    expect(checksumKind('f'.repeat(64))).toBe('sha256');
    expect(checksumKind('0'.repeat(40))).toBe('git-sha1');
    expect(checksumKind('redirect-1234')).toBe('none');
  });

  it('computes the git blob id git itself computes (known value for "hello\\n")', () => {
    expect(gitBlobSha1(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('hashes incrementally to the same digest as in one piece', () => {
    const bytes = Buffer.from('a'.repeat(1000));
    const hasher = new ContentHasher('sha256', bytes.length);
    hasher.update(bytes.subarray(0, 123));
    hasher.update(bytes.subarray(123));
    expect(hasher.digest()).toBe(createHash('sha256').update(bytes).digest('hex'));
    const gitHasher = new ContentHasher('git-sha1', bytes.length);
    gitHasher.update(bytes.subarray(0, 7));
    gitHasher.update(bytes.subarray(7));
    expect(gitHasher.digest()).toBe(gitBlobSha1(bytes));
  });
});

describe('URLs', () => {
  it('sends a revision as one path segment and keeps folders in file paths', () => {
    expect(encodeRevision('refs/pr/5')).toBe('refs%2Fpr%2F5');
    expect(resolveUrl('https://huggingface.co', 'org/name', 'refs/pr/5', 'sub dir/model.safetensors')).toBe('https://huggingface.co/org/name/resolve/refs%2Fpr%2F5/sub%20dir/model.safetensors');
  });
});

describe('chooseFiles', () => {
  const cases: [string, string[], boolean, string[], number][] = [
    ['safetensors over the pickle', ['config.json', 'pytorch_model.bin', 'model.safetensors', '.gitattributes'], true, ['config.json', 'model.safetensors'], 0],
    ['the pickle when asked', ['config.json', 'pytorch_model.bin', 'model.safetensors'], false, ['config.json', 'pytorch_model.bin'], 0],
    ['the pickle, with a note, when there is no safetensors', ['config.json', 'pytorch_model.bin', 'README.md'], true, ['config.json', 'README.md', 'pytorch_model.bin'], 1],
    ['preprocessor and card', ['README.md', 'preprocessor_config.json', 'config.json', 'model.safetensors'], true, ['config.json', 'preprocessor_config.json', 'README.md', 'model.safetensors'], 0],
    [
      'shards with their index',
      ['config.json', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors'],
      true,
      ['config.json', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'],
      0,
    ],
  ];
  it.each(cases)('%s', (_name, available, prefer, expected, notes) => {
    const choice = chooseFiles(available, 'org/name@main', prefer);
    expect(choice.files).toEqual(expected);
    expect(choice.notes).toHaveLength(notes);
  });

  it('refuses a repository without config or weights', () => {
    expect(() => chooseFiles(['model.safetensors'], 'org/name@main')).toThrow(/no config.json/);
    expect(() => chooseFiles(['config.json', 'README.md'], 'org/name@main')).toThrow(/neither model.safetensors nor pytorch_model.bin/);
  });
});

describe('Hub errors', () => {
  const subject = { endpoint: 'https://huggingface.co', repository: 'org/name', revision: 'main', sentToken: false };
  const cases: [number, string | null, string | undefined, string, RegExp][] = [
    [401, 'RepoNotFound', undefined, 'model/hub-repository-not-found', /org\/name was not found.*HF_TOKEN/],
    [404, 'RevisionNotFound', undefined, 'model/hub-revision-not-found', /Revision "main" does not exist/],
    [404, 'EntryNotFound', 'config.json', 'model/hub-file-not-found', /no file config.json/],
    [401, null, undefined, 'model/hub-access-denied', /gated or private.*HF_TOKEN/],
    [403, 'GatedRepo', 'model.safetensors', 'model/hub-access-denied', /model.safetensors of org\/name@main/],
    [503, null, undefined, 'backend/hub-unavailable', /HTTP 503/],
    [418, null, undefined, 'backend/hub-unexpected', /HTTP 418/],
  ];
  it.each(cases)('HTTP %i %s', (status, code, file, expected, message) => {
    const error = hubHttpError(status, code, { ...subject, file });
    expect(`${error.kind}/${error.reason}`).toBe(expected);
    expect(error.message).toMatch(message);
  });

  it('names the failing system call of a network error and says what to do', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = hubNetworkError('https://huggingface.co', new TypeError('fetch failed', { cause }));
    expect(`${error.kind}/${error.reason}`).toBe('backend/network');
    expect(error.message).toMatch(/Cannot reach https:\/\/huggingface.co \(ECONNREFUSED\).*proxy.*HF_HUB_OFFLINE=1/);
  });
});
