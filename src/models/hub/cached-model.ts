/**
 * Finding a model already in the Hugging Face cache, whoever downloaded it (Longview or a Python
 * tool), without the network: refs/<revision> gives the commit, and the snapshot must hold a
 * config and a complete set of weights (a dangling link counts as missing).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { HubSettings } from './hub-settings.js';
import { checkRepositoryFilePath, parseRepositoryReference } from './repository-reference.js';
import { snapshotFilePath, snapshotFolder } from './cache-layout.js';
import { readRef, snapshotHasFiles } from './cache-files.js';
import { chooseFiles } from './choose-files.js';

export interface CachedSnapshot {
  folder: string;
  commit: string;
  /** The files Longview would use, with their sizes in bytes. */
  files: { name: string; sizeBytes: number }[];
}

/** Every file path under the snapshot, '/'-separated. */
function listSnapshot(folder: string): string[] {
  try {
    const entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
    return entries.map((entry) => entry.split(sep).join('/'));
  } catch {
    return [];
  }
}

/** The shard names a sharded checkpoint's index lists (weight_map values); undefined if unreadable or unsafe. */
function indexedShards(indexPath: string): string[] | undefined {
  try {
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { weight_map?: Record<string, unknown> };
    const shards = Object.values(index.weight_map ?? {}).map((value) => checkRepositoryFilePath(String(value)));
    return [...new Set(shards)];
  } catch {
    return undefined;
  }
}

export function cachedSnapshot(settings: HubSettings, repository: string, revision: string, preferSafetensors = true): CachedSnapshot | undefined {
  const commit = readRef(settings.cacheDirectory, repository, revision);
  if (commit === undefined) return undefined;
  const folder = snapshotFolder(settings.cacheDirectory, repository, commit);
  let files: string[];
  try {
    files = chooseFiles(listSnapshot(folder), `${repository}@${revision}`, preferSafetensors).files;
  } catch {
    return undefined;
  }
  const index = files.find((name) => name.endsWith('.index.json'));
  const shards = index === undefined ? [] : indexedShards(snapshotFilePath(settings.cacheDirectory, repository, commit, index));
  if (shards === undefined) return undefined;
  const needed = [...new Set([...files, ...shards])];
  if (!snapshotHasFiles(settings.cacheDirectory, repository, commit, needed)) return undefined;
  const sized = needed.map((name) => ({ name, sizeBytes: statSync(snapshotFilePath(settings.cacheDirectory, repository, commit, name)).size }));
  return { folder, commit, files: sized };
}

/** The snapshot folder of a fully downloaded "org/name[@revision]", or undefined. Never uses the network. */
export function resolveCachedModel(reference: string, settings: HubSettings): string | undefined {
  const { repository, revision } = parseRepositoryReference(reference);
  return cachedSnapshot(settings, repository, revision)?.folder;
}
