/**
 * The preload's bridge, run for real: its source compiled to CommonJS as tsc does, executed with
 * an 'electron' module that loops back: exposed objects are captured, `ipcRenderer.invoke` goes
 * straight into the main process's real `answerRequest`, and events come from an EventEmitter.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { runInThisContext } from 'node:vm';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, REQUEST_NAMES, subscriptionName } from '../../src/shared/api.js';
import { LongviewError } from '../../src/shared/errors.js';
import { answerRequest } from '../../electron/ipc.js';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../../electron/ipc-result.js';

const exposed = new Map<string, Record<string, unknown>>();
const invoked: unknown[][] = [];
const required: string[] = [];
const renderer = new EventEmitter();

/** The 'electron' module the preload sees: a loopback into the main process's real answerRequest. */
const fakeElectron = {
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
  webUtils: { getPathForFile: (file: { fakePath: string }) => file.fakePath },
  ipcRenderer: {
    on: (channel: string, listener: (...args: unknown[]) => void) => renderer.on(channel, listener),
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => renderer.removeListener(channel, listener),
    invoke: async (channel: string, method: unknown, request: unknown) => {
      invoked.push([channel, method, request]);
      const mainFrame = { url: 'app://longview/index.html', parent: null };
      return answerRequest(
        {
          trustedWebContentsId: () => 1,
          handle: async (name, payload) => {
            if (name === 'openVideo') throw new LongviewError('input', 'not-a-video', 'notes.txt is not a video.');
            return { name, payload };
          },
        },
        { sender: { id: 1, mainFrame }, senderFrame: mainFrame },
        method,
        request,
      );
    },
  },
};

const source = readFileSync(new URL('../../electron/preload.cts', import.meta.url), 'utf8');
let api: Record<string, unknown>;

beforeAll(() => {
  // Compiled the way tsc compiles a .cts (CommonJS), then run with a require that records what is asked for.
  const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const fakeRequire = (name: string): unknown => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return fakeElectron;
  };
  runInThisContext(`(function (require, module, exports) {${compiled}\n})`)(fakeRequire, module, module.exports);
  api = exposed.get('longview')!;
});

describe('preload', () => {
  it('exposes exactly one function per request and one subscription per event, nothing else', () => {
    const expected = [...REQUEST_NAMES, ...EVENT_NAMES.map((name) => subscriptionName(name))].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect([...exposed.keys()].sort()).toEqual(['longview', 'longviewFiles']);
  });

  it('sends each request on the request channel under its own name', async () => {
    for (const name of REQUEST_NAMES.filter((name) => name !== 'openVideo')) {
      await expect((api[name] as (request: unknown) => Promise<unknown>)({ n: 1 })).resolves.toEqual({ name, payload: { n: 1 } });
      expect(invoked.at(-1)).toEqual([REQUEST_CHANNEL, name, { n: 1 }]);
    }
  });

  it('rejects with kind, reason and message intact', async () => {
    const failure = (api.openVideo as (request: unknown) => Promise<unknown>)({ path: '/notes.txt' });
    await expect(failure).rejects.toEqual({ name: 'LongviewError', kind: 'input', reason: 'not-a-video', message: 'notes.txt is not a video.' });
  });

  it('delivers only its own event to a listener, until unsubscribed', () => {
    const statuses: unknown[] = [];
    const unsubscribe = (api.onEngineStatus as (listener: (payload: unknown) => void) => () => void)((payload) => statuses.push(payload));
    renderer.emit(EVENT_CHANNEL, {}, 'engineStatus', { state: 'restarting' });
    renderer.emit(EVENT_CHANNEL, {}, 'videoOpened', { videoId: 'x' });
    unsubscribe();
    renderer.emit(EVENT_CHANNEL, {}, 'engineStatus', { state: 'running' });
    expect(statuses).toEqual([{ state: 'restarting' }]);
    expect(renderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });

  it('refuses a listener that is not a function', () => {
    expect(() => (api.onVideoOpened as (listener: unknown) => unknown)('nope')).toThrow(TypeError);
  });

  it('gives dropped files their path through webUtils', () => {
    const files = exposed.get('longviewFiles') as { pathForFile(file: unknown): string };
    expect(Object.keys(files)).toEqual(['pathForFile']);
    expect(files.pathForFile({ fakePath: '/videos/a.mp4' })).toBe('/videos/a.mp4');
  });

  it('uses the same channel names as the main process', () => {
    expect(source).toContain(`const REQUEST_CHANNEL = '${REQUEST_CHANNEL}';`);
    expect(source).toContain(`const EVENT_CHANNEL = '${EVENT_CHANNEL}';`);
  });

  it('requires nothing but electron (a sandboxed preload can load nothing else)', () => {
    expect(required).toEqual(['electron']);
  });
});
