/**
 * The supervised child: no shell, stderr kept and streamed, killed as a group on abort, stall and
 * deadline, and always reaped. Fake tools are small shell scripts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { superviseProcess } from '../../src/video/supervised-process.js';
import { eventually, isGone, isGoneOrZombie, makeScript, temporaryFolder } from './test-files.js';

const folder = temporaryFolder();
afterAll(() => folder.remove());

let scripts = 0;
function script(body: string): string {
  scripts += 1;
  return makeScript(join(folder.path, `tool-${scripts}.sh`), body);
}

/** Everything the stream gives before it closes (a kill destroys stdout, which ends it without an 'end'). */
function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.on('data', (chunk) => (text += String(chunk)));
  return new Promise((resolve) => stream.once('close', () => resolve(text)));
}

describe('superviseProcess', () => {
  it('reports the exit status, stdout and the stderr tail', async () => {
    const child = superviseProcess(script('echo out; echo "err 1" >&2; printf "err 2" >&2; exit 3'), []);
    const [stdout, outcome] = await Promise.all([readAll(child.stdout), child.finished]);
    expect(stdout).toBe('out\n');
    expect(outcome).toMatchObject({ exitCode: 3, signal: null, killedBecause: null, spawnError: null, stderrTail: ['err 1', 'err 2'] });
  });

  it('passes arguments as they are, never through a shell', async () => {
    const marker = join(folder.path, 'should-not-exist');
    const child = superviseProcess(script('printf "%s|" "$@"'), [`; touch ${marker}`, '$(id)', '*']);
    const [stdout] = await Promise.all([readAll(child.stdout), child.finished]);
    expect(stdout).toBe(`; touch ${marker}|$(id)|*|`);
    expect(existsSync(marker)).toBe(false);
  });

  it('hands every stderr line to the callback but keeps a bounded, filtered tail', async () => {
    const seen: string[] = [];
    const child = superviseProcess(script('i=0; while [ $i -lt 100 ]; do echo "line $i" >&2; echo "noise $i" >&2; i=$((i+1)); done'), [], {
      onStderrLine: (line) => seen.push(line),
      keepInTail: (line) => !line.startsWith('noise'),
    });
    child.stdout.resume();
    const outcome = await child.finished;
    expect(seen).toHaveLength(200);
    expect(outcome.stderrTail).toHaveLength(64);
    expect(outcome.stderrTail[0]).toBe('line 36');
    expect(outcome.stderrTail.at(-1)).toBe('line 99');
  });

  it('clips long stderr lines in the tail', async () => {
    const child = superviseProcess(script('head -c 2000 /dev/zero | tr "\\0" "x" >&2'), []);
    child.stdout.resume();
    const outcome = await child.finished;
    expect(outcome.stderrTail[0]?.length).toBeLessThanOrEqual(501);
  });

  it('kills a child that goes silent, and its whole group, and reaps it', async () => {
    const pidFile = join(folder.path, 'grandchild.pid');
    const child = superviseProcess(script(`sleep 30 & echo $! > ${pidFile}; printf abc; wait`), [], { stallTimeoutMs: 300 });
    const [stdout, outcome] = await Promise.all([readAll(child.stdout), child.finished]);
    expect(stdout).toBe('abc');
    expect(outcome).toMatchObject({ killedBecause: 'stalled', exitCode: null, signal: 'SIGKILL' });
    expect(isGone(child.pid ?? -1)).toBe(true);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(await eventually(() => isGoneOrZombie(grandchild))).toBe(true);
  });

  it('does not call a chatty child stalled, but kills it at the deadline', async () => {
    const child = superviseProcess(script('while :; do echo tick >&2; sleep 0.05; done'), [], { stallTimeoutMs: 2000, timeoutMs: 400 });
    child.stdout.resume();
    const outcome = await child.finished;
    expect(outcome.killedBecause).toBe('timeout');
    expect(isGone(child.pid ?? -1)).toBe(true);
  });

  it('kills on abort', async () => {
    const controller = new AbortController();
    const child = superviseProcess(script('echo ready; exec sleep 30'), [], { signal: controller.signal });
    child.stdout.once('data', () => controller.abort());
    const outcome = await child.finished;
    expect(outcome).toMatchObject({ killedBecause: 'aborted', signal: 'SIGKILL' });
    expect(isGone(child.pid ?? -1)).toBe(true);
  });

  it('kills at once when the signal was already aborted', async () => {
    const child = superviseProcess(script('exec sleep 30'), [], { signal: AbortSignal.abort() });
    expect((await child.finished).killedBecause).toBe('aborted');
  });

  it('keeps the first reason when killed twice', async () => {
    const child = superviseProcess(script('exec sleep 30'), []);
    child.kill('stopped');
    child.kill('timeout');
    expect((await child.finished).killedBecause).toBe('stopped');
  });

  it('does not count a held silence as a stall', async () => {
    // Silent for 1.5 s while held, with a 0.5 s watchdog; then speaks and exits normally.
    const child = superviseProcess(script('sleep 1.5; echo done'), [], { stallTimeoutMs: 500 });
    child.holdWatchdog(true);
    child.stdout.once('data', () => child.holdWatchdog(false));
    const [stdout, outcome] = await Promise.all([readAll(child.stdout), child.finished]);
    expect(stdout).toBe('done\n');
    expect(outcome).toMatchObject({ exitCode: 0, killedBecause: null });
  });

  it('settles even when killed while its stdout is paused with unread output', async () => {
    const child = superviseProcess(script('head -c 1000000 /dev/zero; exec sleep 30'), []);
    child.stdout.once('data', () => {
      child.stdout.pause();
      child.kill('stopped');
    });
    expect((await child.finished).killedBecause).toBe('stopped');
  });

  it('reports a program that cannot be started', async () => {
    const child = superviseProcess(join(folder.path, 'no-such-tool'), []);
    const outcome = await child.finished;
    expect(outcome.exitCode).toBeNull();
    expect(outcome.spawnError).toMatchObject({ code: 'ENOENT' });
    child.kill('stopped');
  });
});
