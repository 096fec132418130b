/**
 * One writer per file: an exclusive lock file next to it, created with O_EXCL (atomic on local
 * file systems) and holding the owner's pid, host name and start time. Two processes appending to
 * one analysis store, or downloading into one blob, would interleave bytes; this makes the second
 * one stop with a clear message instead.
 * A lock left by a process that died (kill -9, power cut) is recognised and taken over.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { LongviewError } from '../shared/errors.js';

/** Who holds a lock, as written in the lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO 8601. */
  startedAt: string;
  /** Random, so two lock files never have the same bytes (a take-over compares bytes). */
  token: string;
}

/**
 * An owner writes its details right after the exclusive create, so an empty or unreadable lock is
 * one being written (young) or one whose owner died in between (old). Milliseconds.
 */
const UNREADABLE_LOCK_GRACE_MS = 10_000;
/** Create attempts; each failed one removes a stale lock, so more than two means a race we lost. */
const ATTEMPTS = 3;

/** Locks this process holds, by absolute path: a lock naming our own pid is live only if listed. */
const heldByThisProcess = new Set<string>();

export class ProcessLock {
  readonly path: string;
  readonly #content: Buffer;
  #held = true;

  constructor(path: string, content: Buffer) {
    this.path = path;
    this.#content = content;
  }

  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    heldByThisProcess.delete(this.path);
    try {
      if (readFileSync(this.path).equals(this.#content)) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

/**
 * Takes the lock at `path`, or throws LongviewError('usage', 'busy') naming the live owner and
 * what it is doing (`activity`, a sentence's verb phrase, e.g. "is downloading model.safetensors").
 */
export function acquireLock(path: string, activity: string): ProcessLock {
  const absolute = resolve(path);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const content = Buffer.from(`${JSON.stringify(owner)}\n`, 'utf8');
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createExclusively(absolute, content)) {
      heldByThisProcess.add(absolute);
      return new ProcessLock(absolute, content);
    }
    const existing = readExisting(absolute);
    if (existing === undefined) continue; // released between our create and our read
    const holder = parseOwner(existing.bytes);
    if (!isStale(absolute, holder, existing.ageMilliseconds)) throw busy(absolute, holder, activity);
    removeIfUnchanged(absolute, existing.bytes);
  }
  throw new LongviewError('usage', 'busy', `Another longview process keeps taking the lock ${absolute}; wait for it to finish, then run again.`);
}

function createExclusively(path: string, content: Buffer): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LongviewError('usage', 'store-unwritable', `Cannot create the lock file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); make the folder writable (or, for analyses, set LONGVIEW_CACHE_DIR to one that is).`, { cause: error });
  }
  try {
    writeSync(descriptor, content);
  } finally {
    closeSync(descriptor);
  }
  return true;
}

function readExisting(path: string): { bytes: Buffer; ageMilliseconds: number } | undefined {
  try {
    const ageMilliseconds = Date.now() - statSync(path).mtimeMs;
    return { bytes: readFileSync(path), ageMilliseconds };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function parseOwner(bytes: Buffer): LockOwner | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as Partial<LockOwner> | null;
    if (value === null || typeof value !== 'object') return undefined;
    const { pid, hostname: host, startedAt, token } = value;
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
    if (typeof host !== 'string' || typeof startedAt !== 'string' || typeof token !== 'string') return undefined;
    return { pid, hostname: host, startedAt, token };
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's owner is certainly gone. Only a process on this host can be checked; a lock
 * from another host (a shared home folder) is taken as live, and the message says how to clear it.
 */
function isStale(path: string, holder: LockOwner | undefined, ageMilliseconds: number): boolean {
  if (holder === undefined) return ageMilliseconds > UNREADABLE_LOCK_GRACE_MS;
  if (holder.hostname !== hostname()) return false;
  // Our own pid: a previous process that had this pid died; unless this process holds it now.
  if (holder.pid === process.pid) return !heldByThisProcess.has(path);
  return !isProcessAlive(holder.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence and permission check only
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes a stale lock, but only the one we judged: it is first renamed to a name of our own (so
 * no other process can replace it under us), then compared. If another process created a fresh
 * lock in between, we moved theirs: it is linked back and the next attempt finds it live.
 */
function removeIfUnchanged(path: string, staleBytes: Buffer): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it
    throw error;
  }
  try {
    if (!readFileSync(aside).equals(staleBytes)) linkSync(aside, path);
  } catch {
    // A third process already made a new lock there: it wins, ours is moot.
  } finally {
    unlinkSync(aside);
  }
}

function busy(path: string, holder: LockOwner | undefined, activity: string): LongviewError {
  if (holder === undefined) {
    return new LongviewError('usage', 'busy', `Another longview process ${activity} (lock ${path}, just taken); wait for it, or delete the lock if none is running.`);
  }
  const where = holder.hostname === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.hostname}`;
  return new LongviewError('usage', 'busy', `Another longview process (${where}) ${activity}; wait for it to finish or stop it (lock ${path}).`);
}
