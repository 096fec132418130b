/** Repository ids, revisions and Hub-listed paths become cache paths: hostile ones are refused. */
import { describe, expect, it } from 'vitest';
import { checkCommit, checkEtag, checkRepositoryFilePath, parseRepositoryReference } from '../../../src/models/hub/repository-reference.js';
import { LongviewError } from '../../../src/shared/errors.js';

function reasonOf(attempt: () => unknown): string | undefined {
  try {
    attempt();
    return undefined;
  } catch (error) {
    return error instanceof LongviewError ? `${error.kind}/${error.reason}` : 'not a LongviewError';
  }
}

describe('parseRepositoryReference', () => {
  const accepted: [string, string, string][] = [
    ['facebook/timesformer-base-finetuned-k400', 'facebook/timesformer-base-finetuned-k400', 'main'],
    ['fcakyon/timesformer-large-finetuned-k400@main', 'fcakyon/timesformer-large-finetuned-k400', 'main'],
    ['facebook/timesformer-base-finetuned-k400@refs/pr/5', 'facebook/timesformer-base-finetuned-k400', 'refs/pr/5'],
    ['org/name@8f2b6a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a', 'org/name', '8f2b6a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a'],
    ['Org_1/model.v2@release/v1.0', 'Org_1/model.v2', 'release/v1.0'],
  ];
  it.each(accepted)('accepts %s', (reference, repository, revision) => {
    expect(parseRepositoryReference(reference)).toEqual({ repository, revision });
  });

  const refusedRepositories = [
    'timesformer', // no organization
    'a/b/c',
    '../etc/passwd',
    'org/..',
    'org/na..me',
    '/absolute/path',
    'org/name/',
    'org/na--me', // '--' would make two ids share a cache folder
    'org/name.git',
    'org/na me',
    'org\\name',
    'org/-name',
    `org/${'x'.repeat(97)}`,
    '',
  ];
  it.each(refusedRepositories)('refuses repository %j', (reference) => {
    expect(reasonOf(() => parseRepositoryReference(reference))).toBe('usage/bad-repository');
  });

  const refusedRevisions = ['org/name@', 'org/name@../../x', 'org/name@refs/../../x', 'org/name@/abs', 'org/name@a//b', 'org/name@.hidden', 'org/name@main.lock', 'org/name@a\\b', 'org/name@ma in', 'org/name@a/'];
  it.each(refusedRevisions)('refuses revision in %j', (reference) => {
    expect(reasonOf(() => parseRepositoryReference(reference))).toBe('usage/bad-revision');
  });
});

describe('names from the Hub', () => {
  it.each(['config.json', 'sub/folder/model.safetensors', 'README.md'])('accepts file path %s', (path) => {
    expect(checkRepositoryFilePath(path)).toBe(path);
  });
  it.each(['../x', 'a/../../x', '/etc/passwd', 'a//b', './a', 'a\\b', 'C:evil', ''])('refuses file path %j', (path) => {
    expect(reasonOf(() => checkRepositoryFilePath(path))).toBe('model/bad-hub-response');
  });
  it.each(['../../x', 'abc/def', 'a b', ''])('refuses ETag %j', (etag) => {
    expect(reasonOf(() => checkEtag(etag, 'model.safetensors'))).toBe('model/bad-hub-response');
  });
  it.each(['main', 'ABCDEF0123456789ABCDEF0123456789ABCDEF01', '0123'])('refuses commit %j', (commit) => {
    expect(reasonOf(() => checkCommit(commit, 'org/name'))).toBe('model/bad-hub-response');
  });
});
