/**
 * The recently opened videos in `<dataFolder>/recent.json`: most recent first, each path once,
 * at most RECENT_LIMIT. Whether each file is still there is checked when the list is read, so a
 * moved file is shown as missing rather than silently dropped.
 */
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RecentVideo } from '../shared/api.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { MAXIMUM_PATH_LENGTH } from './request-validation.js';
import { list, oneOf, record, text } from './value-checks.js';

export const RECENT_LIMIT = 12;
const FORMAT = 'longview-recent';
const VERSION = 1;

export type RecentEntry = Omit<RecentVideo, 'exists'>;

const checkEntry = record({ path: text({ minLength: 1, maxLength: MAXIMUM_PATH_LENGTH }), name: text({ maxLength: MAXIMUM_PATH_LENGTH }), openedAt: text({ minLength: 1, maxLength: 64 }) });
// A longer list than we write is tolerated on read (and trimmed), not treated as corrupt.
const checkFile = record({ format: oneOf([FORMAT] as const), version: oneOf([VERSION] as const), videos: list(checkEntry, 10 * RECENT_LIMIT) });

/** Pure: `entry` first, its path removed from further down, cut to `limit`. */
export function withRecent(entries: readonly RecentEntry[], entry: RecentEntry, limit: number = RECENT_LIMIT): RecentEntry[] {
  return [entry, ...entries.filter((other) => other.path !== entry.path)].slice(0, limit);
}

export class RecentVideos {
  readonly path: string;

  constructor(dataFolder: string) {
    this.path = join(dataFolder, 'recent.json');
  }

  list(): RecentVideo[] {
    return this.#entries().map((entry) => ({ ...entry, exists: isRegularFile(entry.path) }));
  }

  add(path: string, now: Date = new Date()): void {
    const videos = withRecent(this.#entries(), { path, name: basename(path), openedAt: now.toISOString() });
    writeJsonFile(this.path, { format: FORMAT, version: VERSION, videos });
  }

  #entries(): RecentEntry[] {
    const read = readJsonFile(this.path, checkFile);
    return read.status === 'read' ? read.value.videos.slice(0, RECENT_LIMIT) : [];
  }
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
