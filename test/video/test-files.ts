/**
 * Test helper (not a test): temporary folders, FIFOs, fake executables, process checks and seeded
 * pseudo-random numbers shared by the video and analysis tests.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoInfo } from '../../src/shared/analysis.js';
import { locateTools, type FfmpegTools } from '../../src/video/tools.js';

/**
 * Every distinct ffprobe the tests can reach: the one locateTools picks (ffprobe-static 4.0 when
 * installed) and the one on PATH (the system's), so the probe is checked against both.
 */
export function reachableProbes(): FfmpegTools[] {
  const chosen = locateTools();
  const fromSearchPath = locateTools(process.env, { resolvePackage: () => undefined });
  return fromSearchPath.ffprobe.path === chosen.ffprobe.path ? [chosen] : [chosen, { ...chosen, ffprobe: fromSearchPath.ffprobe }];
}

/** A fresh folder under the system temp folder, and a function that removes it. */
export function temporaryFolder(prefix = 'longview-video-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function makeFifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** Writes an executable shell script. */
export function makeScript(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/**
 * Watches a FIFO for a reader: opening its write end without blocking succeeds only while some
 * process has it open for reading (ENXIO otherwise). Each hit is closed at once, which hands the
 * reader an end-of-file instead of a hang.
 */
export function watchFifoForReaders(path: string, everyMs = 5): { stop: () => boolean } {
  let opened = false;
  const timer = setInterval(() => {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      opened = true;
    } catch {
      // ENXIO: nobody is reading it.
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return opened;
    },
  };
}

/** True when no process (not even a zombie) has this pid. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** True when the pid is gone or is a zombie waiting for init (a grandchild we cannot reap). */
export function isGoneOrZombie(pid: number): boolean {
  if (isGone(pid)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * Waits until `condition` holds, checking every 20 ms, and says whether it did within `limitMs`.
 * For effects that follow a kill asynchronously (a signalled grandchild takes a moment to die);
 * the limit is generous and nothing is asserted about how long it took.
 */
export async function eventually(condition: () => boolean, limitMs = 5000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** Pids of this process's live children whose command name is `name` (Linux /proc). */
export function childProcesses(name: string): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (command === name && Number(fields[1]) === process.pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/**
 * What a probe says about a plain 3 s, 10 fps, 64×48 H.264 MP4, for tests that feed the decoder
 * files the probe would refuse, and as the expected value of a probe.
 */
export function claimedVideoInfo(path: string, overrides: Partial<VideoInfo> = {}): VideoInfo {
  return {
    path,
    sizeBytes: 1,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSeconds: 3,
    videoDurationSeconds: 3,
    startSeconds: 0,
    averageFrameRate: 10,
    realFrameRate: 10,
    variableFrameRate: false,
    width: 64,
    height: 48,
    rotation: 0,
    videoCodec: 'h264',
    audioCodec: null,
    declaredFrameCount: null,
    ...overrides,
  };
}
