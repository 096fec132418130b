/**
 * Parsing what the user typed ("org/name" or "org/name@revision") and checking every name that
 * will become part of a path in the cache: the repository id, the revision (it becomes a file
 * under refs/), the file paths the Hub lists and the etags and commits it returns. Anything that
 * is not a plain Hub name is refused before it can reach the file system, so "../../etc" in any
 * of them cannot write outside the cache.
 *
 * Pure.
 */
import { LongviewError } from '../../shared/errors.js';

export interface RepositoryReference {
  /** "org/name". */
  repository: string;
  /** A branch or tag name, a 40-hex commit or "refs/pr/N"; "main" when none was given. */
  revision: string;
}

export const DEFAULT_REVISION = 'main';

/** One side of "org/name": the Hub's characters, at most 96 of them, no leading or trailing '.'/'-'. */
const REPOSITORY_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;
/** One '/'-separated part of a revision (git ref rules, narrowed to plain characters). */
const REVISION_PART = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$/;
const MAX_REVISION_LENGTH = 256;
/** A file path as the Hub lists it: '/'-separated plain names. */
const FILE_PATH_PART = /^[^\\/:*?"<>|\u0000-\u001f]+$/;
const COMMIT = /^[0-9a-f]{40}$/;
/** Etags become blob file names: hex digests in practice, plain characters always. */
const ETAG = /^[A-Za-z0-9_-]{1,128}$/;

/** Quoted and clipped, so a hostile value cannot flood a message. */
function shown(value: string): string {
  const clipped = value.length > 120 ? `${value.slice(0, 120)}…` : value;
  return JSON.stringify(clipped);
}

function isRepositoryPart(part: string): boolean {
  // '--' separates org and name in the cache folder name; '..' is a path trick.
  return REPOSITORY_PART.test(part) && !part.includes('--') && !part.includes('..') && !part.endsWith('.git');
}

export function checkRepository(repository: string): string {
  const parts = repository.split('/');
  const [organization, name] = parts;
  if (parts.length !== 2 || organization === undefined || name === undefined || !isRepositoryPart(organization) || !isRepositoryPart(name)) {
    throw new LongviewError('usage', 'bad-repository', `${shown(repository)} is not a Hugging Face model id; write it as organization/name (letters, digits, '-', '_', '.'), e.g. facebook/timesformer-base-finetuned-k400.`);
  }
  return repository;
}

export function checkRevision(revision: string): string {
  const parts = revision.split('/');
  const plain = revision.length <= MAX_REVISION_LENGTH && parts.every((part) => REVISION_PART.test(part) && !part.endsWith('.lock') && !part.includes('..'));
  if (!plain) {
    throw new LongviewError('usage', 'bad-revision', `${shown(revision)} is not a revision Longview accepts; use a branch or tag name, a 40-character commit hash or refs/pr/N.`);
  }
  return revision;
}

/** "org/name" or "org/name@revision" → its parts, both checked. */
export function parseRepositoryReference(reference: string): RepositoryReference {
  const at = reference.indexOf('@');
  const repository = at === -1 ? reference : reference.slice(0, at);
  const revision = at === -1 ? DEFAULT_REVISION : reference.slice(at + 1);
  return { repository: checkRepository(repository.trim()), revision: checkRevision(revision.trim()) };
}

export function isCommitHash(revision: string): boolean {
  return COMMIT.test(revision);
}

/** A path from the Hub's file list (untrusted): relative, '/'-separated, no '.', '..' or empty parts. */
export function checkRepositoryFilePath(path: string): string {
  const parts = path.split('/');
  const plain = path.length <= 1024 && parts.every((part) => FILE_PATH_PART.test(part) && part !== '.' && part !== '..');
  if (!plain) {
    throw new LongviewError('model', 'bad-hub-response', `The Hub listed a file named ${shown(path)}, which is not a safe relative path; Longview will not write it.`);
  }
  return path;
}

export function checkCommit(commit: string, repository: string): string {
  if (!COMMIT.test(commit)) {
    throw new LongviewError('model', 'bad-hub-response', `The Hub answered with commit ${shown(commit)} for ${repository}, which is not a 40-character hash.`);
  }
  return commit;
}

export function checkEtag(etag: string, fileName: string): string {
  if (!ETAG.test(etag)) {
    throw new LongviewError('model', 'bad-hub-response', `The Hub answered with ETag ${shown(etag)} for ${fileName}, which cannot name a file in the cache.`);
  }
  return etag;
}
