/**
 * `longview models pull org/name[@revision]`: resolves the revision to a commit, picks the files
 * (choose-files.ts), downloads what the cache lacks (download-file.ts) and links the snapshot,
 * so the result is a standard Hugging Face cache entry that Python tools reuse too.
 *
 * Offline (HF_HUB_OFFLINE) nothing touches the network: the cache answers or the pull fails.
 * When the Hub cannot be reached but the model is complete in the cache, the cached copy is used
 * and the result says so.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PullEvent } from '../../shared/models.js';
import { LongviewError } from '../../shared/errors.js';
import type { HubSettings } from './hub-settings.js';
import { parseRepositoryReference } from './repository-reference.js';
import { acquireLock } from '../../files/process-lock.js';
import { blobPath, downloadLockPath, snapshotFilePath, snapshotFolder } from './cache-layout.js';
import { hasBlob, linkSnapshotFile, writeRef } from './cache-files.js';
import { cachedSnapshot, type CachedSnapshot } from './cached-model.js';
import { chooseFiles } from './choose-files.js';
import { fileMetadata, repositoryInfo, type RepositoryInfo } from './hub-client.js';
import { createHubTransport, type HubConnection, type HubFetch, type HubTransport } from './http-transport.js';
import { downloadBlob } from './download-file.js';

export { resolveCachedModel } from './cached-model.js';

export interface PullOptions {
  settings: HubSettings;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: PullEvent) => void) | undefined;
  /** Take safetensors over pytorch_model.bin when the revision has both. Default true. */
  preferSafetensors?: boolean | undefined;
  /** Replaces undici's fetch (and the proxy agent built from settings.proxy). */
  fetchImplementation?: HubFetch | undefined;
}

export interface PullResult {
  /** The snapshot folder: what --model takes. */
  path: string;
  commit: string;
  /** The files of the model in the snapshot, '/'-separated paths. */
  files: string[];
  /** 'hub': resolved online; 'cache': offline, or the Hub was unreachable and the cache had it all. */
  source: 'hub' | 'cache';
  /** Plain sentences for the user (no safetensors here, Hub unreachable so the cache was used). */
  notes: string[];
}

/** One file to place in the snapshot: already there, its blob already there, or to download. */
interface PlannedFile {
  name: string;
  sizeBytes: number;
  /** Absent when the snapshot already has the file. */
  etag?: string | undefined;
  downloadUrl?: string | undefined;
  blobCached: boolean;
}

/** Progress events at most every this many bytes of a file (and at its end). */
const PROGRESS_STEP_BYTES = 256 * 1024;

function cachedResult(snapshot: CachedSnapshot, notes: string[], emit: (event: PullEvent) => void, repository: string, revision: string): PullResult {
  const totalBytes = snapshot.files.reduce((sum, file) => sum + file.sizeBytes, 0);
  emit({ type: 'resolved', repository, revision, commit: snapshot.commit, files: snapshot.files, totalBytes });
  for (const file of snapshot.files) emit({ type: 'file', name: file.name, sizeBytes: file.sizeBytes, resumedFromBytes: 0, cached: true });
  emit({ type: 'done', path: snapshot.folder, downloadedBytes: 0 });
  return { path: snapshot.folder, commit: snapshot.commit, files: snapshot.files.map((file) => file.name), source: 'cache', notes };
}

async function planFile(connection: HubConnection, settings: HubSettings, repository: string, commit: string, name: string): Promise<PlannedFile> {
  const linked = snapshotFilePath(settings.cacheDirectory, repository, commit, name);
  // A commit's files never change: one already in its snapshot needs no request at all.
  if (existsSync(linked)) return { name, sizeBytes: statSync(linked).size, blobCached: true };
  const metadata = await fileMetadata(connection, repository, commit, name);
  const blobCached = hasBlob(settings.cacheDirectory, repository, metadata.etag);
  return { name, sizeBytes: metadata.size, etag: metadata.etag, downloadUrl: metadata.downloadUrl, blobCached };
}

function openTransport(options: PullOptions): HubTransport {
  if (options.fetchImplementation !== undefined) return { fetch: options.fetchImplementation, close: async () => undefined };
  return createHubTransport(options.settings.proxy);
}

export async function pullModel(reference: string, options: PullOptions): Promise<PullResult> {
  const { repository, revision } = parseRepositoryReference(reference);
  const { settings } = options;
  const emit = (event: PullEvent): void => options.onEvent?.(event);
  const preferSafetensors = options.preferSafetensors ?? true;
  if (settings.offline) {
    const snapshot = cachedSnapshot(settings, repository, revision, preferSafetensors);
    if (snapshot === undefined) {
      throw new LongviewError('model', 'offline-not-cached', `${repository}@${revision} is not (fully) in the Hugging Face cache at ${settings.cacheDirectory}, and offline mode is on (HF_HUB_OFFLINE); unset HF_HUB_OFFLINE to download it.`);
    }
    return cachedResult(snapshot, [`Offline mode: used ${repository}@${revision} from the cache.`], emit, repository, revision);
  }
  const transport = openTransport(options);
  const connection: HubConnection = { endpoint: settings.endpoint, token: settings.token, fetch: transport.fetch, signal: options.signal };
  try {
    let info: RepositoryInfo;
    try {
      info = await repositoryInfo(connection, repository, revision);
    } catch (error) {
      const snapshot = error instanceof LongviewError && error.kind === 'backend' ? cachedSnapshot(settings, repository, revision, preferSafetensors) : undefined;
      if (snapshot === undefined) throw error;
      return cachedResult(snapshot, [`${(error as Error).message.replace(/;.*$/, '')}: using ${repository}@${revision} from the cache.`], emit, repository, revision);
    }
    const choice = chooseFiles(info.files, `${repository}@${revision}`, preferSafetensors);
    const planned: PlannedFile[] = [];
    for (const name of choice.files) planned.push(await planFile(connection, settings, repository, info.commit, name));
    const totalBytes = planned.reduce((sum, file) => sum + file.sizeBytes, 0);
    emit({ type: 'resolved', repository, revision, commit: info.commit, files: planned.map(({ name, sizeBytes }) => ({ name, sizeBytes })), totalBytes });
    let completedBytes = 0;
    let downloadedBytes = 0;
    for (const file of planned) {
      if (file.etag === undefined || file.downloadUrl === undefined || file.blobCached) {
        emit({ type: 'file', name: file.name, sizeBytes: file.sizeBytes, resumedFromBytes: 0, cached: true });
      } else {
        let lastReported = 0;
        // Two pulls of one blob would write one .incomplete at once: the second waits its turn.
        const lockPath = downloadLockPath(settings.cacheDirectory, repository, file.etag);
        mkdirSync(dirname(lockPath), { recursive: true });
        const lock = acquireLock(lockPath, `is downloading ${file.name} of ${repository}`);
        const result = await downloadBlob({
          connection,
          url: file.downloadUrl,
          subject: { endpoint: settings.endpoint, repository, revision, file: file.name, sentToken: settings.token !== undefined },
          etag: file.etag,
          size: file.sizeBytes,
          blobPath: blobPath(settings.cacheDirectory, repository, file.etag),
          onStart: (resumedFromBytes) => emit({ type: 'file', name: file.name, sizeBytes: file.sizeBytes, resumedFromBytes, cached: false }),
          onProgress: (fileReceivedBytes) => {
            if (fileReceivedBytes - lastReported < PROGRESS_STEP_BYTES && fileReceivedBytes !== file.sizeBytes) return;
            lastReported = fileReceivedBytes;
            emit({ type: 'progress', name: file.name, receivedBytes: completedBytes + fileReceivedBytes, totalBytes, fileReceivedBytes, fileBytes: file.sizeBytes });
          },
        }).finally(() => lock.release());
        downloadedBytes += result.downloadedBytes;
        emit({ type: 'verified', name: file.name, sha256: result.sha256 });
      }
      if (file.etag !== undefined) linkSnapshotFile(settings.cacheDirectory, repository, info.commit, file.name, file.etag);
      completedBytes += file.sizeBytes;
    }
    writeRef(settings.cacheDirectory, repository, revision, info.commit);
    const path = snapshotFolder(settings.cacheDirectory, repository, info.commit);
    emit({ type: 'done', path, downloadedBytes });
    return { path, commit: info.commit, files: choice.files, source: 'hub', notes: choice.notes };
  } finally {
    await transport.close();
  }
}
