/**
 * A mock Hugging Face Hub on 127.0.0.1 for tests: the Hub's URL scheme and headers, served from
 * memory, with knobs for the failures a real download meets.
 *
 *   GET  /api/models/{org}/{name}/revision/{revision}   { sha, siblings: [{ rfilename }] }
 *   HEAD/GET /{org}/{name}/resolve/{revision}/{path}      small files: 200, ETag = git blob SHA-1;
 *                                                         LFS files: 302 to /cdn-lfs/<sha256>?expires=…
 *                                                         with X-Linked-Etag and X-Linked-Size
 *   GET  /cdn-lfs/<sha256>                                the bytes, with Range (206, 416)
 *
 * Every answer from the Hub paths carries X-Repo-Commit; errors carry X-Error-Code as the Hub
 * does. Every request is recorded (method, path, host, headers) so tests can assert what was
 * asked and what was sent where. The CDN may be named by another host name ('localhost') so
 * tests can check that the token stays with the Hub.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitBlobSha1 } from '../../src/models/hub/content-hash.js';

export interface MockFile {
  path: string;
  bytes: Buffer;
  /** LFS files are redirected to the CDN path and identified by SHA-256. */
  lfs: boolean;
}

export interface MockRevision {
  /** A branch or "refs/pr/N"; the commit hash itself is accepted too. */
  name: string;
  /** 40 hex digits. */
  commit: string;
  files: MockFile[];
}

export interface MockRepository {
  /** "org/name". */
  id: string;
  revisions: MockRevision[];
}

export interface RecordedRequest {
  method: string;
  /** The path and query as sent. */
  path: string;
  /** The Host header. */
  host: string;
  headers: IncomingHttpHeaders;
}

/** Failure knobs; tests set them between pulls. */
export interface MockHubKnobs {
  /** Cut the connection after this many bytes of the next CDN body (once, then cleared). */
  cutAfterBytes?: number | undefined;
  /** Send this many bytes of each CDN body, then stall until the client goes away. */
  stallAfterBytes?: number | undefined;
  /** Flip one byte of every CDN body (a corrupting proxy). */
  corrupt?: boolean | undefined;
  /** Answer 401 to Hub paths unless `Authorization: Bearer <token>` is sent. */
  requireToken?: string | undefined;
}

export interface MockHub {
  /** http://127.0.0.1:<port>, no trailing slash: use as HF_ENDPOINT. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  knobs: MockHubKnobs;
  /** Requests whose path starts with this prefix. */
  requestsTo(prefix: string): RecordedRequest[];
  close(): Promise<void>;
}

export interface MockHubOptions {
  repositories: MockRepository[];
  /** Host name put in CDN redirects: '127.0.0.1' (default) or 'localhost' (another host, same server). */
  cdnHost?: string;
}

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_FOLDER = join(repositoryRoot, 'test/fixtures/timesformer/divided-tiny');

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The small files' ETag; the client's own helper, itself checked against git's value in cache-layout.test.ts. */
export const gitBlobSha1Hex = gitBlobSha1;

/** A stable fake commit hash from a word. */
export function fakeCommit(word: string): string {
  return createHash('sha1').update(word).digest('hex');
}

export const MODEL_CARD = '---\nlicense: cc-by-nc-4.0\ntags:\n- video-classification\n---\n# Tiny TimeSformer (test fixture)\n';

/**
 * The tiny divided-attention fixture as "facebook/timesformer-tiny-test": `main` has only
 * pytorch_model.bin (like facebook/timesformer-base-finetuned-k400), `refs/pr/5` adds
 * model.safetensors.
 */
export function fixtureRepository(id = 'facebook/timesformer-tiny-test'): MockRepository {
  const read = (name: string): Buffer => readFileSync(join(FIXTURE_FOLDER, name));
  const shared: MockFile[] = [
    { path: 'config.json', bytes: read('config.json'), lfs: false },
    { path: 'README.md', bytes: Buffer.from(MODEL_CARD), lfs: false },
    { path: '.gitattributes', bytes: Buffer.from('*.bin filter=lfs diff=lfs merge=lfs -text\n'), lfs: false },
  ];
  const bin: MockFile = { path: 'pytorch_model.bin', bytes: read('pytorch_model.bin'), lfs: true };
  const safetensors: MockFile = { path: 'model.safetensors', bytes: read('model.safetensors'), lfs: true };
  return {
    id,
    revisions: [
      { name: 'main', commit: fakeCommit(`${id}@main`), files: [...shared, bin] },
      { name: 'refs/pr/5', commit: fakeCommit(`${id}@refs/pr/5`), files: [...shared, bin, safetensors] },
    ],
  };
}

/** A repository on `main` with a config and one LFS model.safetensors of the given bytes. */
export function generatedRepository(id: string, weights: Buffer): MockRepository {
  const config = Buffer.from(JSON.stringify({ model_type: 'timesformer' }));
  return {
    id,
    revisions: [{ name: 'main', commit: fakeCommit(`${id}@main`), files: [{ path: 'config.json', bytes: config, lfs: false }, { path: 'model.safetensors', bytes: weights, lfs: true }] }],
  };
}

function findRevision(repository: MockRepository, name: string): MockRevision | undefined {
  return repository.revisions.find((revision) => revision.name === name || revision.commit === name);
}

function fail(response: ServerResponse, status: number, errorCode: string | undefined): void {
  if (errorCode !== undefined) response.setHeader('X-Error-Code', errorCode);
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ error: errorCode ?? `HTTP ${status}` }));
}

/** `bytes=N-` or `bytes=N-M` → [start, end] inclusive; undefined when absent or not understood. */
function parseRange(header: string | undefined, size: number): [number, number] | undefined {
  const match = header === undefined ? null : /^bytes=(\d+)-(\d*)$/.exec(header);
  if (match === null || match[1] === undefined) return undefined;
  const end = match[2] === undefined || match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return [Number(match[1]), end];
}

export async function startMockHub(options: MockHubOptions): Promise<MockHub> {
  const requests: RecordedRequest[] = [];
  const knobs: MockHubKnobs = {};
  const blobs = new Map<string, Buffer>();
  for (const repository of options.repositories) {
    for (const revision of repository.revisions) for (const file of revision.files) if (file.lfs) blobs.set(sha256Hex(file.bytes), file.bytes);
  }
  let port = 0;

  const serveCdn = (request: IncomingMessage, response: ServerResponse, sha256: string): void => {
    const stored = blobs.get(sha256);
    if (stored === undefined) return fail(response, 404, undefined);
    let body = stored;
    if (knobs.corrupt === true) {
      body = Buffer.from(stored);
      body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 0xff;
    }
    const range = parseRange(request.headers.range, body.length);
    if (range !== undefined && range[0] >= body.length) {
      response.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
      return void response.end();
    }
    const [start, end] = range ?? [0, body.length - 1];
    const part = body.subarray(start, end + 1);
    const headers: Record<string, string> = { 'Content-Length': String(part.length), 'Accept-Ranges': 'bytes', ETag: `"${sha256}"`, 'Content-Type': 'application/octet-stream' };
    if (range !== undefined) headers['Content-Range'] = `bytes ${start}-${end}/${body.length}`;
    response.writeHead(range === undefined ? 200 : 206, headers);
    if (request.method === 'HEAD') return void response.end();
    const cut = knobs.cutAfterBytes;
    if (cut !== undefined && cut < part.length) {
      knobs.cutAfterBytes = undefined;
      return void response.write(part.subarray(0, cut), () => response.socket?.destroy());
    }
    const stall = knobs.stallAfterBytes;
    if (stall !== undefined && stall < part.length) return void response.write(part.subarray(0, stall));
    response.end(part);
  };

  const serveHub = (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    const token = knobs.requireToken;
    if (token !== undefined && request.headers.authorization !== `Bearer ${token}`) return fail(response, 401, undefined);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    const resolveMatch = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const match = api ?? resolveMatch;
    if (match === null || match[1] === undefined || match[2] === undefined) return fail(response, 404, undefined);
    const repository = options.repositories.find((candidate) => candidate.id === match[1]);
    if (repository === undefined) return fail(response, 404, 'RepoNotFound');
    const revision = findRevision(repository, decodeURIComponent(match[2]));
    if (revision === undefined) return fail(response, 404, 'RevisionNotFound');
    if (api !== null) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify({ id: repository.id, sha: revision.commit, siblings: revision.files.map((file) => ({ rfilename: file.path })) }));
    }
    const path = (resolveMatch?.[3] ?? '').split('/').map(decodeURIComponent).join('/');
    const file = revision.files.find((candidate) => candidate.path === path);
    response.setHeader('X-Repo-Commit', revision.commit);
    if (file === undefined) return fail(response, 404, 'EntryNotFound');
    if (file.lfs) {
      const sha256 = sha256Hex(file.bytes);
      response.writeHead(302, {
        Location: `http://${options.cdnHost ?? '127.0.0.1'}:${port}/cdn-lfs/${sha256}?expires=${Date.now() + 3_600_000}`,
        'X-Linked-Size': String(file.bytes.length),
        'X-Linked-Etag': `"${sha256}"`,
        ETag: `W/"redirect-${sha256.slice(0, 8)}"`,
        'Content-Length': '0',
      });
      return void response.end();
    }
    response.writeHead(200, { ETag: `"${gitBlobSha1Hex(file.bytes)}"`, 'Content-Length': String(file.bytes.length), 'Content-Type': 'application/octet-stream' });
    response.end(request.method === 'HEAD' ? undefined : file.bytes);
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://mock');
    requests.push({ method: request.method ?? '', path: request.url ?? '', host: request.headers.host ?? '', headers: request.headers });
    const cdn = /^\/cdn-lfs\/([0-9a-f]{64})$/.exec(url.pathname);
    if (cdn?.[1] !== undefined) serveCdn(request, response, cdn[1]);
    else serveHub(request, response, url);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    knobs,
    requestsTo: (prefix) => requests.filter((request) => request.path.startsWith(prefix)),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
