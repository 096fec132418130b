/**
 * The real engine process (electron/engine-process.ts running the shared engine service), forked
 * by node the way utilityProcess forks it, under the real supervisor: settings saved before a
 * crash are there after the restart.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineStatus, EventName, Settings } from '../../src/shared/api.js';
import { engineArguments } from '../../electron/engine-arguments.js';
import type { EngineChild } from '../../electron/engine-child.js';
import { createEngineSupervisor } from '../../electron/engine-supervisor.js';

const root = mkdtempSync(join(tmpdir(), 'longview-engine-process-'));
const folders = { dataFolder: join(root, 'data'), cacheDirectory: join(root, 'cache') };
const entry = new URL('../../electron/engine-process.ts', import.meta.url).pathname;
const children: ChildProcess[] = [];

function forkEngine(): EngineChild {
  const child = fork(entry, engineArguments(folders), { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return {
    postMessage: (message) => void child.send(message as object, () => {}),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', (code) => listener(code)),
    kill: () => void child.kill('SIGKILL'),
  };
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('engine process', () => {
  it('answers, crashes, restarts, and keeps what was saved', async () => {
    const statuses: EngineStatus[] = [];
    let crashed: (() => void) | undefined;
    const supervisor = createEngineSupervisor({
      fork: forkEngine,
      onEvent(event: EventName, payload: unknown) {
        if (event !== 'engineStatus') return;
        statuses.push(payload as EngineStatus);
        if ((payload as EngineStatus).state === 'crashed') crashed?.();
      },
    });

    const environment = (await supervisor.call('getEnvironment', {})) as { host: string; dataFolder: string };
    expect(environment).toMatchObject({ host: 'electron', dataFolder: folders.dataFolder });

    const settings = (await supervisor.call('getSettings', {})) as Settings;
    const changed: Settings = { ...settings, heatmap: { visible: !settings.heatmap.visible, opacity: 0.25 } };
    await supervisor.call('setSettings', changed);

    // A request the engine refuses comes back classified, and the process keeps running.
    await expect(supervisor.call('resegment', { analysisId: 'nope' })).rejects.toMatchObject({ kind: 'usage' });

    const died = new Promise<void>((resolve) => (crashed = resolve));
    children.at(-1)!.kill('SIGKILL');
    await died;
    expect(supervisor.status()).toMatchObject({ state: 'crashed', message: expect.stringContaining('killed by a signal') });
    await expect(supervisor.call('getSettings', {})).rejects.toMatchObject({ kind: 'backend', reason: 'engine-crashed' });

    await expect(supervisor.restart()).resolves.toEqual({ state: 'running' });
    await expect(supervisor.call('getSettings', {})).resolves.toEqual(changed);
    expect(statuses.map((status) => status.state)).toEqual(['running', 'crashed', 'restarting', 'running']);
    supervisor.dispose();
  });
});
