/**
 * The Hugging Face cache layout, as huggingface_hub writes it, so Python tools and Longview
 * share files:
 *
 *   <cache>/models--{org}--{name}/blobs/<etag>                  the bytes, named by their ETag
 *   <cache>/models--{org}--{name}/snapshots/<commit>/<file>     a relative symlink to ../../blobs/<etag>
 *   <cache>/models--{org}--{name}/refs/<revision>               the commit hash, no newline
 *
 * A revision with slashes is a nested path under refs/ ("refs/pr/5" → refs/refs/pr/5), exactly
 * as huggingface_hub does (`Path(storage_folder) / "refs" / revision`).
 *
 * Pure: paths only. Every name must already be checked (repository-reference.ts).
 */
import { join, posix } from 'node:path';

export function repositoryFolderName(repository: string): string {
  return `models--${repository.split('/').join('--')}`;
}

export function repositoryFolder(cacheDirectory: string, repository: string): string {
  return join(cacheDirectory, repositoryFolderName(repository));
}

export function blobPath(cacheDirectory: string, repository: string, etag: string): string {
  return join(repositoryFolder(cacheDirectory, repository), 'blobs', etag);
}

/** Where a blob grows while it downloads (huggingface_hub uses the same name, so resumes are shared). */
export function incompleteBlobPath(cacheDirectory: string, repository: string, etag: string): string {
  return incompletePathOf(blobPath(cacheDirectory, repository, etag));
}

/** The download name beside any final blob path (download-file.ts takes the blob path alone). */
export function incompletePathOf(finalBlobPath: string): string {
  return `${finalBlobPath}.incomplete`;
}

export function snapshotFolder(cacheDirectory: string, repository: string, commit: string): string {
  return join(repositoryFolder(cacheDirectory, repository), 'snapshots', commit);
}

export function snapshotFilePath(cacheDirectory: string, repository: string, commit: string, filePath: string): string {
  return join(snapshotFolder(cacheDirectory, repository, commit), ...filePath.split('/'));
}

export function refPath(cacheDirectory: string, repository: string, revision: string): string {
  return join(repositoryFolder(cacheDirectory, repository), 'refs', ...revision.split('/'));
}

/**
 * The symlink target stored in snapshots/<commit>/<filePath>: up from the file's folder to the
 * repository folder (two levels for snapshots/<commit>, one more per folder in filePath), then
 * into blobs/. Always '/'-separated: it is only used where symlinks work.
 */
export function relativeBlobTarget(filePath: string, etag: string): string {
  const foldersInPath = filePath.split('/').length - 1;
  return posix.join('../'.repeat(2 + foldersInPath), 'blobs', etag);
}

/**
 * Longview's lock for one blob download. huggingface_hub locks `.locks/<repo folder>/<etag>.lock`
 * with flock; ours has its own name so neither tool ever mistakes the other's file for its own.
 */
export function downloadLockPath(cacheDirectory: string, repository: string, etag: string): string {
  return join(cacheDirectory, '.locks', repositoryFolderName(repository), `${etag}.longview.lock`);
}
