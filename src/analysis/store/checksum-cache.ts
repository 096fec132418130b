/**
 * Remembers model checksums in `<cacheDirectory>/checksums.json`, so a 500 MB checkpoint is hashed
 * once rather than at every run. An entry is trusted only while every weight file still has the
 * same absolute path, size, modification time (nanoseconds) and inode: replacing or rewriting a
 * file changes at least one of them. The file is a cache: missing, corrupt or foreign content is
 * ignored and rebuilt, never reported.
 */
import { readFileSync, statSync } from 'node:fs';
import { LongviewError } from '../../shared/errors.js';
import { writeFileAtomic } from '../../files/atomic-write.js';

/** What identifies one file's bytes without reading them; big numbers kept exact as decimal text. */
export interface FileSignature {
  path: string;
  sizeBytes: string;
  mtimeNs: string;
  inode: string;
}

export interface ChecksumEntry {
  /** Sorted by path, as the checksum covers them. */
  files: FileSignature[];
  /** SHA-256, 64 lowercase hex. */
  sha256: string;
}

const CACHE_VERSION = 1;
/** Entries kept; each model (file set) takes one, newest first. */
const MAXIMUM_ENTRIES = 64;
/** A cache larger than this is not ours (64 entries are a few tens of KB). */
const MAXIMUM_CACHE_BYTES = 4 * 1024 * 1024;

/** The signature of the file at `path` (absolute), following symbolic links as reading does. */
export function fileSignature(path: string): FileSignature {
  try {
    const stats = statSync(path, { bigint: true });
    return { path, sizeBytes: stats.size.toString(), mtimeNs: stats.mtimeNs.toString(), inode: stats.ino.toString() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new LongviewError('model', 'unreadable', `Cannot read the model file ${path} (${code}); check that the path is right and readable.`, { cause: error });
  }
}

export function sameSignatures(first: readonly FileSignature[], second: readonly FileSignature[]): boolean {
  return first.length === second.length && first.every((signature, position) => signatureKey(signature) === signatureKey(second[position]!));
}

export function findChecksum(entries: readonly ChecksumEntry[], files: readonly FileSignature[]): string | undefined {
  return entries.find((entry) => sameSignatures(entry.files, files))?.sha256;
}

/** The entries with `files` → `sha256` first, an older entry for the same paths replaced. */
export function rememberChecksum(entries: readonly ChecksumEntry[], files: readonly FileSignature[], sha256: string): ChecksumEntry[] {
  const paths = files.map((file) => file.path).join('\n');
  const others = entries.filter((entry) => entry.files.map((file) => file.path).join('\n') !== paths);
  return [{ files: [...files], sha256 }, ...others].slice(0, MAXIMUM_ENTRIES);
}

/** The cached entries, or none when the file is missing, too large or not exactly our format. */
export function readChecksumCache(path: string): ChecksumEntry[] {
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAXIMUM_CACHE_BYTES) return [];
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    if (!isObject(parsed) || parsed['version'] !== CACHE_VERSION || !Array.isArray(parsed['entries'])) return [];
    const entries: unknown[] = parsed['entries'];
    return entries.every(isEntry) ? entries : [];
  } catch {
    return [];
  }
}

/**
 * Saves the entries atomically. A failure only costs a re-hash next time, so it is swallowed:
 * the analysis should not stop because a cache could not be written.
 */
export function writeChecksumCache(path: string, entries: readonly ChecksumEntry[]): void {
  try {
    writeFileAtomic(path, `${JSON.stringify({ version: CACHE_VERSION, entries }, null, 1)}\n`, { keepBackup: false });
  } catch {
    // Read-only or full disk: keep going without the cache.
  }
}

function signatureKey(signature: FileSignature): string {
  return `${signature.path}\n${signature.sizeBytes}\n${signature.mtimeNs}\n${signature.inode}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown): value is ChecksumEntry {
  return isObject(value) && typeof value['sha256'] === 'string' && /^[0-9a-f]{64}$/.test(value['sha256']) && Array.isArray(value['files']) && value['files'].every(isSignature);
}

function isSignature(value: unknown): value is FileSignature {
  if (!isObject(value) || typeof value['path'] !== 'string') return false;
  return ['sizeBytes', 'mtimeNs', 'inode'].every((name) => typeof value[name] === 'string' && /^[0-9]+$/.test(value[name] as string));
}
