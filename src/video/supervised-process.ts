/**
 * Runs ffmpeg or ffprobe as a supervised child: never through a shell, always reaped, and killed
 * as a whole process group when the caller aborts, when it stops making progress, or when it runs
 * out of time.
 *
 * Why a process group: a killed ffmpeg must not leave helpers behind, and a test's fake ffmpeg (a
 * shell script) has children of its own. `detached: true` makes the child lead a new group, and
 * SIGKILL goes to the whole group. The child is only signalled while it has not exited, so a
 * recycled pid is never hit. `finished` settles only on 'close', after the child is reaped and its
 * pipes have drained, so there are no zombies and no lost output.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { LineRing, LineSplitter } from './stderr-lines.js';

/** Why we killed the child: the caller's signal, no output for too long, past the deadline, or the caller stopped reading. */
export type KillReason = 'aborted' | 'stalled' | 'timeout' | 'stopped';

export interface SuperviseOptions {
  signal?: AbortSignal;
  /** Kill when neither stdout nor stderr delivers a byte for this long, milliseconds. Off when undefined. */
  stallTimeoutMs?: number;
  /** Kill when the child runs longer than this, milliseconds. Off when undefined. */
  timeoutMs?: number;
  /** Every stderr line, as it arrives. */
  onStderrLine?: (line: string) => void;
  /** Which stderr lines are worth keeping for error messages (default: all); per-frame chatter is not. */
  keepInTail?: (line: string) => boolean;
  /** Environment for the child; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
}

export interface ProcessOutcome {
  /** null when the child was ended by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when we killed it, with why. */
  killedBecause: KillReason | null;
  /** The last stderr lines kept (at most 64, each clipped to 500 characters), oldest first. */
  stderrTail: string[];
  /** Why the child could not be started (e.g. ENOENT), else null. */
  spawnError: Error | null;
}

export interface SupervisedProcess {
  readonly pid: number | undefined;
  /** The child's stdout; the caller must read it (or pause it and hold the watchdog). Destroyed by kill. */
  readonly stdout: Readable;
  /** Settles once the child is reaped and its pipes are closed; never rejects. */
  readonly finished: Promise<ProcessOutcome>;
  /**
   * SIGKILL to the child's process group (remembering the first reason given) unless it already
   * exited, and discard its remaining stdout.
   */
  kill(reason: KillReason): void;
  /**
   * While held, silence is not a stall: the caller paused stdout on purpose (backpressure), so
   * the child is blocked on a full pipe, not hung.
   */
  holdWatchdog(held: boolean): void;
}

const STDERR_TAIL_LINES = 64;
const STDERR_TAIL_LINE_LENGTH = 500;

export function superviseProcess(command: string, args: readonly string[], options: SuperviseOptions = {}): SupervisedProcess {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    shell: false,
    windowsHide: true,
    // Colour codes would pollute the lines we parse.
    env: { ...(options.env ?? process.env), AV_LOG_FORCE_NOCOLOR: '1' },
  });

  let exited = false;
  let killedBecause: KillReason | null = null;
  const tail = new LineRing(STDERR_TAIL_LINES, STDERR_TAIL_LINE_LENGTH);
  const splitter = new LineSplitter();

  const kill = (reason: KillReason): void => {
    if (!exited && child.pid !== undefined) {
      killedBecause ??= reason;
      killProcessGroup(child.pid);
    }
    // Output after a kill is unwanted, and a paused stdout with unread bytes would hold 'close'
    // (and so `finished`) back forever.
    child.stdout.destroy();
  };

  const watchdog = new StallWatchdog(options.stallTimeoutMs, () => kill('stalled'));
  const deadlineTimer = options.timeoutMs === undefined ? undefined : setTimeout(() => kill('timeout'), options.timeoutMs);

  const takeLine = (line: string): void => {
    if (options.keepInTail?.(line) ?? true) tail.push(line);
    options.onStderrLine?.(line);
  };
  child.stderr.on('data', (chunk: Buffer) => {
    watchdog.activity();
    for (const line of splitter.push(chunk)) takeLine(line);
  });
  child.stdout.on('data', () => watchdog.activity());

  const onAbort = (): void => kill('aborted');
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  if (child.pid !== undefined) liveGroups.add(child.pid);
  child.once('exit', () => {
    exited = true;
    if (child.pid !== undefined) liveGroups.delete(child.pid);
  });

  const finished = new Promise<ProcessOutcome>((resolve) => {
    let spawnError: Error | null = null;
    const settle = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      watchdog.stop();
      clearTimeout(deadlineTimer);
      options.signal?.removeEventListener('abort', onAbort);
      for (const line of splitter.end()) takeLine(line);
      resolve({ exitCode, signal, killedBecause, stderrTail: tail.snapshot(), spawnError });
    };
    child.on('error', (error) => {
      // Only a failed spawn matters here (later errors are failed kills of a dying child), and it
      // does not reach 'close' on every Node version, so it settles here.
      if (child.pid !== undefined) return;
      spawnError = error;
      exited = true;
      settle(null, null);
    });
    child.once('close', (exitCode, signal) => {
      if (child.pid !== undefined) settle(exitCode, signal);
    });
  });

  return {
    pid: child.pid,
    stdout: child.stdout,
    finished,
    kill,
    holdWatchdog(held: boolean): void {
      if (held) watchdog.hold();
      else watchdog.release();
    },
  };
}

/**
 * Calls `onStall` after `timeoutMs` without activity. A cleared Node timer cannot be refreshed
 * back to life, so holding drops the timer and releasing makes a new one.
 */
class StallWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly timeoutMs: number | undefined,
    private readonly onStall: () => void,
  ) {
    this.release();
  }

  activity(): void {
    this.timer?.refresh();
  }

  hold(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  release(): void {
    if (this.timeoutMs === undefined || this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(this.onStall, this.timeoutMs);
  }

  stop(): void {
    this.stopped = true;
    this.hold();
  }
}

function killProcessGroup(pid: number): void {
  try {
    // A negative pid addresses the group the detached child leads; Windows has no groups.
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    // ESRCH: it is already gone, which is what we wanted.
  }
}

/**
 * Groups still running. Detached children outlive us unless told otherwise, so when this process
 * exits (normally or through process.exit) they are killed with it.
 */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) killProcessGroup(pid);
});
