import { describe, expect, it } from 'vitest';
import { LongviewError } from '../../src/shared/errors.js';
import { answerRequest, sendEvent, type RequestEvent, type RequestHandlerOptions } from '../../electron/ipc.js';
import { EVENT_CHANNEL } from '../../electron/ipc-result.js';

const WINDOW = 3;

function event(change: { id?: number; url?: string; subframe?: boolean; destroyed?: boolean } = {}): RequestEvent {
  const mainFrame = { url: change.url ?? 'app://longview/index.html', parent: null };
  const frame = change.subframe === true ? { url: change.url ?? 'app://longview/index.html', parent: mainFrame } : mainFrame;
  return { sender: { id: change.id ?? WINDOW, mainFrame }, senderFrame: change.destroyed === true ? null : frame };
}

function host(handle: RequestHandlerOptions['handle']): RequestHandlerOptions & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    trustedWebContentsId: () => WINDOW,
    handle: (method, request) => {
      seen.push(method);
      return handle(method, request);
    },
  };
}

describe('answerRequest', () => {
  it('answers our window with the host response', async () => {
    const options = host(async (_method, request) => ({ echoed: request }));
    await expect(answerRequest(options, event(), 'getSettings', {})).resolves.toEqual({ ok: true, response: { echoed: {} } });
    expect(options.seen).toEqual(['getSettings']);
  });

  it('encodes a classified error instead of rejecting', async () => {
    const options = host(async () => {
      throw new LongviewError('input', 'not-a-video', 'notes.txt is not a video.');
    });
    await expect(answerRequest(options, event(), 'openVideo', { path: '/notes.txt' })).resolves.toEqual({
      ok: false,
      error: { kind: 'input', reason: 'not-a-video', message: 'notes.txt is not a video.' },
    });
  });

  it('turns an unexpected failure into an internal error', async () => {
    const options = host(async () => {
      throw new TypeError('x is undefined');
    });
    const result = await answerRequest(options, event(), 'listModels', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal', reason: 'internal' } });
  });

  it.each([
    ['another window', event({ id: 99 })],
    ['a subframe', event({ subframe: true })],
    ['a file:// page', event({ url: 'file:///tmp/x.html' })],
    ['an http:// page', event({ url: 'http://localhost:5173/' })],
    ['another app host', event({ url: 'app://other/index.html' })],
    ['a destroyed frame', event({ destroyed: true })],
  ])('refuses %s without calling the host', async (_name, untrusted) => {
    const options = host(async () => 'should not run');
    await expect(answerRequest(options, untrusted, 'getSettings', {})).resolves.toMatchObject({ ok: false, error: { kind: 'usage', reason: 'untrusted-sender' } });
    expect(options.seen).toEqual([]);
  });

  it.each(['constructor', '__proto__', 'deleteEverything', 42, null])('refuses the unknown request %s', async (method) => {
    const options = host(async () => 'should not run');
    await expect(answerRequest(options, event(), method, {})).resolves.toMatchObject({ ok: false, error: { reason: 'unknown-request' } });
    expect(options.seen).toEqual([]);
  });

  it('refuses everything while no window is trusted', async () => {
    const options = { ...host(async () => 'no'), trustedWebContentsId: () => undefined };
    await expect(answerRequest(options, event(), 'getSettings', {})).resolves.toMatchObject({ ok: false, error: { reason: 'untrusted-sender' } });
  });
});

describe('sendEvent', () => {
  function contents(url: string, destroyed = false): { sent: unknown[][]; isDestroyed(): boolean; getURL(): string; send(...args: unknown[]): void } {
    const sent: unknown[][] = [];
    return { sent, isDestroyed: () => destroyed, getURL: () => url, send: (...args) => void sent.push(args) };
  }

  it('sends to an app page', () => {
    const target = contents('app://longview/index.html');
    sendEvent(target, 'engineStatus', { state: 'running' });
    expect(target.sent).toEqual([[EVENT_CHANNEL, 'engineStatus', { state: 'running' }]]);
  });

  it.each([
    ['a foreign page', contents('https://example.com/')],
    ['a destroyed window', contents('app://longview/index.html', true)],
  ])('sends nothing to %s', (_name, target) => {
    sendEvent(target, 'engineStatus', { state: 'running' });
    expect(target.sent).toEqual([]);
  });
});
