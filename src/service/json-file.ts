/**
 * Small JSON files the service owns (settings, edits, the recent list): read with every field
 * checked, written atomically with the previous version kept as `.bak`. A file that cannot be
 * read back (corrupt, hand-edited wrongly, written by a newer version) is moved aside to
 * `<name>.corrupt-<time>` and treated as absent: the user's data is never deleted, and one bad
 * file never stops the app from starting.
 */
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { Check } from './value-checks.js';

/** Our files are kilobytes (edits of a long video: a few MB); anything larger is not ours. */
const MAXIMUM_FILE_BYTES = 64 * 1024 * 1024;

export type JsonReadOutcome<T> = { status: 'missing' } | { status: 'read'; value: T } | { status: 'set-aside'; setAsidePath: string; why: string };

export function readJsonFile<T>(path: string, check: Check<T>): JsonReadOutcome<T> {
  let text: string;
  try {
    const read = readSmallFile(path);
    if (read === undefined) return { status: 'missing' };
    text = read;
  } catch (error) {
    return setAside(path, (error as Error).message);
  }
  try {
    return { status: 'read', value: check(JSON.parse(text) as unknown, 'the file') };
  } catch (error) {
    return setAside(path, (error as Error).message);
  }
}

/** Creates the folder (owner-only) when needed, then replaces the file atomically, keeping a `.bak`. */
export function writeJsonFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { keepBackup: true });
}

/** The text, or undefined when nothing is there. Non-blocking open: a FIFO put there cannot hang us. */
function readSmallFile(path: string): string | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) throw new Error('it is not a regular file');
    if (stats.size > MAXIMUM_FILE_BYTES) throw new Error(`it is ${stats.size} bytes, more than any file Longview writes`);
    const bytes = Buffer.alloc(stats.size);
    let offset = 0;
    while (offset < bytes.length) {
      const count = readSync(descriptor, bytes, offset, bytes.length - offset, offset);
      if (count === 0) break;
      offset += count;
    }
    return bytes.subarray(0, offset).toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}

/** `<path>.corrupt-<UTC time>` (no colons, which Windows forbids). */
function setAside(path: string, why: string): JsonReadOutcome<never> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const setAsidePath = `${path}.corrupt-${stamp}`;
  try {
    renameSync(path, setAsidePath);
  } catch {
    // Cannot move it (read-only folder): leave it where it is; it is still not deleted.
    return { status: 'set-aside', setAsidePath: path, why };
  }
  return { status: 'set-aside', setAsidePath, why };
}
