/**
 * Identities that key an analysis store: the video's, the model's, and the digest of the whole
 * key. They decide whether finished windows may be reused, so they must change whenever the
 * windows would, and be cheap enough to compute at every run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LongviewError } from '../../shared/errors.js';
import { fileSignature, findChecksum, readChecksumCache, rememberChecksum, sameSignatures, writeChecksumCache } from './checksum-cache.js';
import { hashRange, openRegularFile, type FileRole } from './file-hashing.js';

export { storeKeyDigest } from './store-key.js';

/** Bytes in each of the video's three samples. */
const SAMPLE_BYTES = 1024 * 1024;
const VIDEO: FileRole = { kind: 'input', noun: 'video' };
const MODEL_FILE: FileRole = { kind: 'model', noun: 'model file' };

/**
 * [start, length] byte ranges of the video that its identity hashes: the whole file up to three
 * samples' worth, otherwise the first, middle and last MiB. Headers (moov, EBML), the index (often
 * at the end) and a stretch of payload are all covered, so re-encoding, trimming, appending or a
 * different file of equal size changes the identity, and touching the file does not.
 *
 * What it misses: an edit of the same size strictly inside the unsampled payload (say a
 * byte-patched frame in minute 40). Hashing all of a multi-hour video would take minutes at every
 * run; video editors rewrite the container, so same-size interior edits do not happen in practice,
 * and the price of a miss is reusing windows of nearly the same video.
 */
export function sampleRanges(sizeBytes: number): [number, number][] {
  if (sizeBytes <= 3 * SAMPLE_BYTES) return [[0, sizeBytes]];
  const middle = Math.floor((sizeBytes - SAMPLE_BYTES) / 2);
  return [
    [0, SAMPLE_BYTES],
    [middle, SAMPLE_BYTES],
    [sizeBytes - SAMPLE_BYTES, SAMPLE_BYTES],
  ];
}

/** Size and SHA-256 (hex) over the size (8 bytes, big-endian) followed by the sampled ranges. */
export async function videoIdentity(path: string): Promise<{ sizeBytes: number; sha256: string }> {
  const handle = await openRegularFile(path, VIDEO);
  try {
    const sizeBytes = (await handle.stat()).size;
    const hash = createHash('sha256');
    const sizeField = Buffer.alloc(8);
    sizeField.writeBigUInt64BE(BigInt(sizeBytes));
    hash.update(sizeField);
    for (const [start, length] of sampleRanges(sizeBytes)) await hashRange(handle, hash, start, length, path, VIDEO);
    return { sizeBytes, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/**
 * SHA-256 (hex) over the bytes of the weight files, one after another in sorted absolute-path
 * order. For the usual single file it equals `sha256sum model.safetensors` (and the Hub's LFS
 * checksum), so users can check it by hand. Cached in `<cacheDirectory>/checksums.json`; the cache
 * is written only when no file changed while it was being hashed.
 */
export async function modelChecksum(files: string[], cacheDirectory: string): Promise<string> {
  const paths = [...new Set(files.map((file) => resolve(file)))].sort();
  if (paths.length === 0) throw new LongviewError('internal', 'no-weight-files', 'The model checksum was asked for no weight files; this is a bug in longview, please report it.');
  const cachePath = join(cacheDirectory, 'checksums.json');
  const before = paths.map(fileSignature);
  const entries = readChecksumCache(cachePath);
  const cached = findChecksum(entries, before);
  if (cached !== undefined) return cached;

  const hash = createHash('sha256');
  for (const path of paths) {
    const handle = await openRegularFile(path, MODEL_FILE);
    try {
      await hashRange(handle, hash, 0, (await handle.stat()).size, path, MODEL_FILE);
    } finally {
      await handle.close();
    }
  }
  const checksum = hash.digest('hex');
  if (sameSignatures(before, paths.map(fileSignature))) {
    try {
      mkdirSync(cacheDirectory, { recursive: true, mode: 0o700 });
      writeChecksumCache(cachePath, rememberChecksum(entries, before, checksum));
    } catch {
      // An unwritable cache folder only costs a re-hash next time.
    }
  }
  return checksum;
}
