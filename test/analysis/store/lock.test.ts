/** The store lock, against a real second process and against lock files left in every state. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, parseOwner } from '../../../src/files/process-lock.js';
import { LongviewError } from '../../../src/shared/errors.js';
import { startFixture, type FixtureProcess } from './fixture-process.js';

/** What the lock's holder is said to be doing, as the analysis store says it. */
const ACTIVITY = 'is analyzing this video with the same settings';

let folder: string;
let lockPath: string;
const children: FixtureProcess[] = [];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'longview-lock-'));
  lockPath = join(folder, 'x.lvstore.lock');
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.child.kill('SIGKILL');
    await child.exited;
  }
  rmSync(folder, { recursive: true, force: true });
});

function busyError(): LongviewError {
  try {
    acquireLock(lockPath, ACTIVITY).release();
  } catch (error) {
    if (error instanceof LongviewError) return error;
    throw error;
  }
  throw new Error('expected the lock to be refused');
}

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(result.stdout);
}

function writeLock(owner: object): void {
  writeFileSync(lockPath, `${JSON.stringify(owner)}\n`);
}

async function holder(): Promise<FixtureProcess> {
  const child = startFixture('hold-lock.fixture.ts', [lockPath]);
  children.push(child);
  await child.lineMatching((line) => line === 'locked');
  return child;
}

describe('acquireLock with a real second process', () => {
  it('refuses while another process holds it, naming its pid, and succeeds once it releases', async () => {
    const child = await holder();
    const error = busyError();
    expect([error.kind, error.reason]).toEqual(['usage', 'busy']);
    expect(error.message).toContain(`Another longview process (pid ${child.child.pid})`);
    expect(error.message).toContain('analyzing this video with the same settings');

    child.child.stdin.write('release\n');
    await child.lineMatching((line) => line === 'released');
    await child.exited;
    expect(existsSync(lockPath)).toBe(false);
    const lock = acquireLock(lockPath, ACTIVITY);
    expect(parseOwner(readFileSync(lockPath))?.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over the lock of a process killed with SIGKILL', async () => {
    const child = await holder();
    child.child.kill('SIGKILL');
    await child.exited;
    expect(parseOwner(readFileSync(lockPath))?.pid).toBe(child.child.pid); // left behind
    const lock = acquireLock(lockPath, ACTIVITY);
    expect(parseOwner(readFileSync(lockPath))?.pid).toBe(process.pid);
    lock.release();
  });

  it('makes a second process wait while this one holds it', async () => {
    const lock = acquireLock(lockPath, ACTIVITY);
    const child = startFixture('hold-lock.fixture.ts', [lockPath]);
    children.push(child);
    const outcome = await child.exited;
    expect(outcome.code).not.toBe(0);
    expect(child.stderr()).toContain(`pid ${process.pid}`);
    lock.release();
  });
});

describe('acquireLock with a lock file already there', () => {
  const now = (): string => new Date().toISOString();

  it.each<[string, () => object]>([
    ['a dead pid on this host', () => ({ pid: deadPid(), hostname: hostname(), startedAt: now(), token: 'a' })],
    ['our own pid, from a previous process that had it', () => ({ pid: process.pid, hostname: hostname(), startedAt: now(), token: 'b' })],
  ])('takes over a stale lock: %s', (_name, owner) => {
    writeLock(owner());
    const lock = acquireLock(lockPath, ACTIVITY);
    expect(parseOwner(readFileSync(lockPath))?.token).not.toMatch(/^[ab]$/);
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('refuses a second lock in the same process while the first is held', () => {
    const lock = acquireLock(lockPath, ACTIVITY);
    expect(busyError().reason).toBe('busy');
    lock.release();
  });

  it('refuses a lock from another host, whose process it cannot check', () => {
    writeLock({ pid: deadPid(), hostname: `not-${hostname()}`, startedAt: now(), token: 'c' });
    const error = busyError();
    expect(error.reason).toBe('busy');
    expect(error.message).toContain(`on not-${hostname()}`);
  });

  it('refuses an unreadable lock while it is young (its owner may be writing it) and takes it over when old', () => {
    writeFileSync(lockPath, '');
    expect(busyError().reason).toBe('busy');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockPath, minuteAgo, minuteAgo);
    acquireLock(lockPath, ACTIVITY).release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('does not remove a lock that is no longer its own on release', () => {
    const lock = acquireLock(lockPath, ACTIVITY);
    writeLock({ pid: 1, hostname: hostname(), startedAt: now(), token: 'someone else' });
    lock.release();
    expect(parseOwner(readFileSync(lockPath))?.token).toBe('someone else');
  });
});
