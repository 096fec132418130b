/**
 * Small file-system steps on the Hugging Face cache: refs, snapshot links and the checks that a
 * snapshot is complete. The I/O edge of cache-layout.ts.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-write.js';
import { isCommitHash } from './repository-reference.js';
import { blobPath, refPath, relativeBlobTarget, snapshotFilePath } from './cache-layout.js';

/** The commit a cached ref points at, or undefined when the ref is missing or not a hash. */
export function readRef(cacheDirectory: string, repository: string, revision: string): string | undefined {
  if (isCommitHash(revision)) return revision;
  try {
    const commit = readFileSync(refPath(cacheDirectory, repository, revision), 'utf8').trim();
    return isCommitHash(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records revision → commit. A commit needs no ref (huggingface_hub writes none either). Replaced
 * atomically, so a reader never sees half a hash; no .bak, since the Hub can always say it again.
 */
export function writeRef(cacheDirectory: string, repository: string, revision: string, commit: string): void {
  if (revision === commit) return;
  const path = refPath(cacheDirectory, repository, revision);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, commit, { keepBackup: false });
}

export function hasBlob(cacheDirectory: string, repository: string, etag: string): boolean {
  try {
    return statSync(blobPath(cacheDirectory, repository, etag)).isFile();
  } catch {
    return false;
  }
}

/**
 * Makes snapshots/<commit>/<filePath> point at blobs/<etag>: a relative symlink where the file
 * system allows it (so the cache folder can move), else a copy, as huggingface_hub does on
 * Windows without developer mode. An existing entry is replaced.
 */
export function linkSnapshotFile(cacheDirectory: string, repository: string, commit: string, filePath: string, etag: string): void {
  const linkPath = snapshotFilePath(cacheDirectory, repository, commit, filePath);
  mkdirSync(dirname(linkPath), { recursive: true });
  rmSync(linkPath, { force: true });
  try {
    symlinkSync(relativeBlobTarget(filePath, etag), linkPath);
  } catch {
    copyFileSync(blobPath(cacheDirectory, repository, etag), linkPath);
  }
}

/** True when every file exists in the snapshot (a dangling link counts as missing). */
export function snapshotHasFiles(cacheDirectory: string, repository: string, commit: string, filePaths: readonly string[]): boolean {
  return filePaths.every((filePath) => existsSync(snapshotFilePath(cacheDirectory, repository, commit, filePath)));
}
