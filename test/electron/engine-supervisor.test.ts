/**
 * The supervisor against a real second process: node's child_process.fork running a scripted
 * stand-in engine (fixtures/scripted-engine.mjs), adapted to the same postMessage/message/exit
 * shape Electron's utilityProcess has.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus, EventName } from '../../src/shared/api.js';
import { LongviewError } from '../../src/shared/errors.js';
import type { EngineChild } from '../../electron/engine-child.js';
import { createEngineSupervisor, type EngineSupervisor } from '../../electron/engine-supervisor.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'scripted-engine.mjs');
const children: ChildProcess[] = [];

function forkScripted(): EngineChild {
  const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return {
    // The callback swallows a send to a process that just died; its 'exit' is what the supervisor acts on.
    postMessage: (message) => void child.send(message as object, () => {}),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', (code) => listener(code)),
    kill: () => void child.kill('SIGKILL'),
  };
}

interface Recorded {
  event: EventName;
  payload: unknown;
}

function start(): { supervisor: EngineSupervisor; events: Recorded[]; next(event: EventName, test?: (payload: unknown) => boolean): Promise<unknown> } {
  const events: Recorded[] = [];
  const waiters: { event: EventName; test: (payload: unknown) => boolean; resolve(payload: unknown): void }[] = [];
  const supervisor = createEngineSupervisor({
    fork: forkScripted,
    onEvent(event, payload) {
      events.push({ event, payload });
      for (const waiter of [...waiters]) {
        if (waiter.event === event && waiter.test(payload)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(payload);
        }
      }
    },
  });
  return {
    supervisor,
    events,
    next: (event, test = () => true) => new Promise((resolve) => waiters.push({ event, test, resolve })),
  };
}

const isCrashed = (payload: unknown): boolean => (payload as EngineStatus).state === 'crashed';

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('engine supervisor', () => {
  it('starts running and matches responses to calls', async () => {
    const { supervisor, events } = start();
    expect(supervisor.status()).toEqual({ state: 'running' });
    expect(events).toEqual([{ event: 'engineStatus', payload: { state: 'running' } }]);
    const [a, b] = await Promise.all([supervisor.call('getEnvironment', { echo: 'a' }), supervisor.call('getEnvironment', { echo: 'b' })]);
    expect(a).toMatchObject({ echo: 'a' });
    expect(b).toMatchObject({ echo: 'b' });
    supervisor.dispose();
  });

  it('turns an engine error back into a classified LongviewError', async () => {
    const { supervisor } = start();
    const failure = supervisor.call('getSettings', { fail: { kind: 'input', reason: 'not-a-video', message: 'That is a text file.' } });
    await expect(failure).rejects.toBeInstanceOf(LongviewError);
    await expect(failure).rejects.toMatchObject({ kind: 'input', reason: 'not-a-video', message: 'That is a text file.' });
    supervisor.dispose();
  });

  it('rejects the call in flight when the engine dies, reports crashed, and works again after a restart', async () => {
    const { supervisor, events, next } = start();
    const first = (await supervisor.call('getEnvironment', { echo: 1 })) as { pid: number };

    const crashed = next('engineStatus', isCrashed);
    const inFlight = supervisor.call('thumbnails', { exitWith: 3 });
    await expect(inFlight).rejects.toMatchObject({ kind: 'backend', reason: 'engine-crashed' });
    expect(await crashed).toMatchObject({ state: 'crashed', message: expect.stringContaining('exit code 3') });
    expect(supervisor.status().state).toBe('crashed');

    // While crashed, calls fail at once with the same classified error instead of hanging.
    await expect(supervisor.call('getEnvironment', { echo: 2 })).rejects.toMatchObject({ kind: 'backend', reason: 'engine-crashed' });

    const before = events.length;
    await expect(supervisor.restart()).resolves.toEqual({ state: 'running' });
    expect(events.slice(before)).toEqual([
      { event: 'engineStatus', payload: { state: 'restarting' } },
      { event: 'engineStatus', payload: { state: 'running' } },
    ]);

    const second = (await supervisor.call('getEnvironment', { echo: 3 })) as { echo: number; pid: number };
    expect(second.echo).toBe(3);
    expect(second.pid).not.toBe(first.pid);
    supervisor.dispose();
  });

  it('ends open analysis jobs with a failed update when the engine dies', async () => {
    const { supervisor, next } = start();
    await supervisor.call('startAnalysis', { startJob: 'job-7' });
    const failed = next('analysisUpdate', (payload) => (payload as { type: string }).type === 'failed');
    await expect(supervisor.call('thumbnails', { exitWith: 9 })).rejects.toBeInstanceOf(LongviewError);
    expect(await failed).toMatchObject({ jobId: 'job-7', type: 'failed', error: { kind: 'backend', reason: 'engine-crashed' } });
    supervisor.dispose();
  });

  it('rejects calls still waiting when restarted, and does not count the replaced process as a crash', async () => {
    const { supervisor, events } = start();
    const waiting = supervisor.call('getEnvironment', { hang: true });
    await supervisor.restart();
    await expect(waiting).rejects.toMatchObject({ kind: 'backend', reason: 'engine-restarted' });
    await expect(supervisor.call('getEnvironment', { echo: 'after' })).resolves.toMatchObject({ echo: 'after' });
    expect(events.filter((entry) => entry.event === 'engineStatus' && isCrashed(entry.payload))).toEqual([]);
    supervisor.dispose();
  });

  it('refuses calls after dispose', async () => {
    const { supervisor } = start();
    supervisor.dispose();
    await expect(supervisor.call('getEnvironment', { echo: 1 })).rejects.toMatchObject({ kind: 'backend', reason: 'engine-stopped' });
  });

  it('reports crashed when the process cannot be started at all', () => {
    const supervisor = createEngineSupervisor({
      fork: () => {
        throw new Error('no such file: engine-process.js');
      },
      onEvent: () => {},
    });
    expect(supervisor.status()).toMatchObject({ state: 'crashed', message: expect.stringContaining('no such file') });
  });
});
