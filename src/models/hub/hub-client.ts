/**
 * The two questions Longview asks the Hub before downloading: which commit a revision is and
 * which files it has (the model API), and what one file is (a HEAD on its resolve URL: commit,
 * ETag, size and where the bytes really are).
 *
 * The HEAD does not follow the redirect to the CDN: the Hub's own 302 carries X-Linked-Etag and
 * X-Linked-Size, and its Location is where the bytes are fetched from (without the token when it
 * is another host). Only relative redirects (a renamed repository) are followed, as
 * huggingface_hub does.
 */
import { LongviewError } from '../../shared/errors.js';
import { checkCommit, checkEtag, checkRepositoryFilePath } from './repository-reference.js';
import { normalizeEtag } from './content-hash.js';
import { hubHttpError, type HubRequestSubject } from './hub-errors.js';
import { sendRequest, type HubConnection, type HubResponse } from './http-transport.js';

export interface RepositoryInfo {
  /** The 40-hex commit the revision points at now. */
  commit: string;
  /** Every file path in that commit (siblings[].rfilename), checked to be safe relative paths. */
  files: string[];
}

export interface FileMetadata {
  commit: string;
  /** Normalized (no quotes, no W/): a SHA-256 for LFS files, a git blob SHA-1 for small ones. */
  etag: string;
  /** Bytes. */
  size: number;
  /** Where to GET the bytes: the CDN Location, or the resolve URL itself for small files. */
  downloadUrl: string;
}

/** `refs/pr/5` → `refs%2Fpr%2F5`: the Hub takes a revision as one path segment. */
export function encodeRevision(revision: string): string {
  return encodeURIComponent(revision);
}

export function repositoryInfoUrl(endpoint: string, repository: string, revision: string): string {
  return `${endpoint}/api/models/${repository}/revision/${encodeRevision(revision)}`;
}

export function resolveUrl(endpoint: string, repository: string, revision: string, path: string): string {
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${repository}/resolve/${encodeRevision(revision)}/${encodedPath}`;
}

function subject(connection: HubConnection, repository: string, revision: string, file?: string): HubRequestSubject {
  return { endpoint: connection.endpoint, repository, revision, file, sentToken: connection.token !== undefined };
}

function badResponse(repository: string, what: string): LongviewError {
  return new LongviewError('model', 'bad-hub-response', `The Hub's answer about ${repository} is malformed (${what}); check HF_ENDPOINT or try again later.`);
}

async function failIfNotOk(response: HubResponse, requestSubject: HubRequestSubject, okStatuses: readonly number[]): Promise<void> {
  if (okStatuses.includes(response.status)) return;
  await response.body?.cancel();
  throw hubHttpError(response.status, response.headers.get('x-error-code'), requestSubject);
}

/** GET /api/models/{repo}/revision/{revision} → commit and file list. */
export async function repositoryInfo(connection: HubConnection, repository: string, revision: string): Promise<RepositoryInfo> {
  const url = repositoryInfoUrl(connection.endpoint, repository, revision);
  const { response } = await sendRequest(connection, 'GET', url, { Accept: 'application/json' }, false);
  await failIfNotOk(response, subject(connection, repository, revision), [200]);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw badResponse(repository, `not JSON: ${(error as Error).message}`);
  }
  const record = body as { sha?: unknown; siblings?: unknown } | null;
  if (record === null || typeof record !== 'object' || typeof record.sha !== 'string' || !Array.isArray(record.siblings)) {
    throw badResponse(repository, 'no sha or siblings');
  }
  const files = record.siblings.map((sibling: unknown) => {
    const name = (sibling as { rfilename?: unknown } | null)?.rfilename;
    if (typeof name !== 'string') throw badResponse(repository, 'a sibling without rfilename');
    return checkRepositoryFilePath(name);
  });
  return { commit: checkCommit(record.sha, repository), files };
}

function parseSize(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** HEAD {endpoint}/{repo}/resolve/{revision}/{path} → commit, ETag, size, download URL. */
export async function fileMetadata(connection: HubConnection, repository: string, revision: string, path: string): Promise<FileMetadata> {
  const url = resolveUrl(connection.endpoint, repository, revision, path);
  // identity: a compressed answer's Content-Length would not be the file's size.
  const sent = await sendRequest(connection, 'HEAD', url, { 'Accept-Encoding': 'identity' }, false);
  const { response } = sent;
  await failIfNotOk(response, subject(connection, repository, revision, path), [200, 301, 302, 303, 307, 308]);
  await response.body?.cancel();
  const headers = response.headers;
  const commit = headers.get('x-repo-commit');
  const rawEtag = headers.get('x-linked-etag') ?? headers.get('etag');
  const size = parseSize(headers.get('x-linked-size') ?? headers.get('content-length'));
  if (commit === null) throw badResponse(repository, `no X-Repo-Commit for ${path}; is HF_ENDPOINT a Hugging Face Hub?`);
  if (rawEtag === null) throw badResponse(repository, `no ETag for ${path}`);
  if (size === undefined) throw badResponse(repository, `no size for ${path}`);
  const location = headers.get('location');
  const downloadUrl = response.status === 200 || location === null ? sent.url : new URL(location, sent.url).toString();
  return { commit: checkCommit(commit, repository), etag: checkEtag(normalizeEtag(rawEtag), path), size, downloadUrl };
}
