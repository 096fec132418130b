/**
 * Downloads one blob into the cache, resumably and verified:
 *
 *   blobs/<etag>.incomplete  grows while bytes arrive (a later run sends Range: bytes=<size>-
 *                            and appends when the server answers 206; a 200 starts over)
 *   blobs/<etag>             appears only once the bytes match the ETag and the size, fsynced,
 *                            by an atomic rename
 *
 * The bytes are streamed to disk and hashed as they arrive (after a resume the part already on
 * disk is hashed first), so a 500 MB checkpoint is never held in memory. A mismatch deletes the
 * partial file: nothing unverified is left behind. A cancel or a broken connection leaves the
 * .incomplete for the next run.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LongviewError } from '../../shared/errors.js';
import { syncDirectory } from '../../files/sync-directory.js';
import { incompletePathOf } from './cache-layout.js';
import { ContentHasher, checksumKind } from './content-hash.js';
import { cancelledError } from '../../shared/cancellation.js';
import { hubHttpError, hubTransferError, type HubRequestSubject } from './hub-errors.js';
import { sendRequest, type HubConnection, type HubResponse } from './http-transport.js';

export interface BlobDownload {
  connection: HubConnection;
  /** Where the bytes are (the CDN Location or the resolve URL). */
  url: string;
  /** What the user would call it, for messages: "model.safetensors of org/name@main". */
  subject: HubRequestSubject;
  etag: string;
  /** Expected bytes (X-Linked-Size). */
  size: number;
  /** The final blob path; the download grows beside it (cache-layout.ts incompletePathOf). */
  blobPath: string;
  /** Called once the server has answered, with the bytes kept from an earlier attempt. */
  onStart?: ((resumedFromBytes: number) => void) | undefined;
  /** Bytes of this file on disk so far, after every chunk. */
  onProgress?: ((fileReceivedBytes: number) => void) | undefined;
}

export interface BlobResult {
  resumedFromBytes: number;
  /** Bytes fetched over the network by this call. */
  downloadedBytes: number;
  /** The verified SHA-256 (LFS files), else null (git blob SHA-1 or unverifiable ETag). */
  sha256: string | null;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Feeds the first `length` bytes of a file to the hasher (the part kept from an earlier attempt). */
async function hashExisting(path: string, length: number, hasher: ContentHasher): Promise<void> {
  if (length === 0 || hasher.kind === 'none') return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) hasher.update(chunk as Buffer);
}

/** The first byte a 206 answer starts at, from `Content-Range: bytes <start>-<end>/<total>`. */
export function contentRangeStart(header: string | null): number | undefined {
  const match = header === null ? null : /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(header.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

interface OpenedTransfer {
  response: HubResponse | undefined;
  /** Bytes kept from the .incomplete (0 when starting over). */
  keptBytes: number;
}

/** Asks for the rest of the file, or for all of it when nothing usable is on disk. */
async function requestRemainder(download: BlobDownload, incompletePath: string): Promise<OpenedTransfer> {
  let keptBytes = await fileSize(incompletePath);
  if (keptBytes > download.size) keptBytes = 0;
  if (keptBytes === download.size && keptBytes > 0) return { response: undefined, keptBytes };
  const range: Record<string, string> = keptBytes > 0 ? { Range: `bytes=${keptBytes}-` } : {};
  const { response } = await sendRequest(download.connection, 'GET', download.url, { 'Accept-Encoding': 'identity', ...range }, true);
  if (response.status === 206 && contentRangeStart(response.headers.get('content-range')) === keptBytes) return { response, keptBytes };
  if (response.status === 200) return { response, keptBytes: 0 };
  await response.body?.cancel();
  if ((response.status === 416 || response.status === 206) && keptBytes > 0) {
    // The server cannot continue where we stopped: start over from byte 0.
    await rm(incompletePath, { force: true });
    return requestRemainder(download, incompletePath);
  }
  throw hubHttpError(response.status, response.headers.get('x-error-code'), download.subject);
}

interface WrittenBody {
  /** Bytes appended by this call. */
  written: number;
  /** The server sent more than the expected size (the excess is not written). */
  overflowed: boolean;
}

/** Streams the body to the open file, hashing and counting. */
async function writeBody(download: BlobDownload, response: HubResponse, file: FileHandle, hasher: ContentHasher, keptBytes: number): Promise<WrittenBody> {
  let onDisk = keptBytes;
  if (response.body === null) return { written: 0, overflowed: false };
  for await (const chunk of response.body) {
    if (onDisk + chunk.byteLength > download.size) return { written: onDisk - keptBytes, overflowed: true };
    hasher.update(chunk);
    await file.write(chunk);
    onDisk += chunk.byteLength;
    download.onProgress?.(onDisk);
  }
  return { written: onDisk - keptBytes, overflowed: false };
}

function mismatch(download: BlobDownload, expected: string, actual: string): LongviewError {
  const name = download.subject.file ?? download.etag;
  return new LongviewError('model', 'checksum-mismatch', `The download of ${name} from ${download.subject.repository} is damaged: expected ${expected}, got ${actual}; it was deleted, run the same command again (if it repeats, check your proxy or HF_ENDPOINT).`);
}

/** Size, then hash; throws after deleting the partial file when either is wrong. */
async function verify(download: BlobDownload, incompletePath: string, hasher: ContentHasher, overflowed: boolean): Promise<string | undefined> {
  const actualSize = await fileSize(incompletePath);
  const digest = hasher.digest();
  if (actualSize !== download.size || overflowed) {
    await rm(incompletePath, { force: true });
    throw mismatch(download, `${download.size} bytes`, overflowed ? 'more' : `${actualSize} bytes`);
  }
  if (digest !== undefined && digest !== download.etag) {
    await rm(incompletePath, { force: true });
    const algorithm = hasher.kind === 'sha256' ? 'SHA-256' : 'git blob SHA-1';
    throw mismatch(download, `${algorithm} ${download.etag}`, digest);
  }
  return digest;
}

export async function downloadBlob(download: BlobDownload): Promise<BlobResult> {
  const incompletePath = incompletePathOf(download.blobPath);
  await mkdir(dirname(download.blobPath), { recursive: true });
  const { response, keptBytes } = await requestRemainder(download, incompletePath);
  download.onStart?.(keptBytes);
  const hasher = new ContentHasher(checksumKind(download.etag), download.size);
  await hashExisting(incompletePath, keptBytes, hasher);
  if (keptBytes === 0) await truncate(incompletePath).catch(() => undefined);
  let body: WrittenBody = { written: 0, overflowed: false };
  const file = await open(incompletePath, 'a');
  try {
    if (response !== undefined) body = await writeBody(download, response, file, hasher, keptBytes);
    await file.sync();
  } catch (error) {
    const signal = download.connection.signal;
    if (signal?.aborted === true) throw cancelledError(`The download of ${download.subject.file ?? download.etag}`, signal.reason);
    throw hubTransferError(download.url, error);
  } finally {
    await file.close();
  }
  const digest = await verify(download, incompletePath, hasher, body.overflowed);
  await rename(incompletePath, download.blobPath);
  // Once per blob, after the rename: the new name is not durable until its folder is synced.
  syncDirectory(dirname(download.blobPath));
  return { resumedFromBytes: keptBytes, downloadedBytes: body.written, sha256: hasher.kind === 'sha256' && digest !== undefined ? digest : null };
}
