/**
 * Runs a `*.fixture.ts` file of this folder as a real second process (node + tsx) and follows its
 * output line by line, for the lock and crash tests.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

export interface FixtureProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Complete stdout lines so far. */
  readonly lines: string[];
  /** Resolves with the first line (already seen or still to come) that satisfies `test`; rejects if the process exits first. */
  lineMatching(test: (line: string) => boolean): Promise<string>;
  /** Resolves when the process has exited, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function startFixture(name: string, args: string[]): FixtureProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, name), ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let partial = '';
  let errors = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const pieces = (partial + chunk).split('\n');
    partial = pieces.pop() ?? '';
    for (const line of pieces) {
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => candidate.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('close', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`${name} exited (${code ?? signal}) before the awaited line; stderr: ${errors}`));
      resolveExit({ code, signal });
    });
  });
  return {
    child,
    lines,
    exited,
    stderr: () => errors,
    lineMatching(test) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`${name} already exited; stderr: ${errors}`));
      return new Promise((resolveLine, rejectLine) => waiters.push({ test, resolve: resolveLine, reject: rejectLine }));
    },
  };
}
