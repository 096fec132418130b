/**
 * The WebSocket client against a real `ws` server speaking the wire protocol: request ids,
 * responses, classified errors, events, and what happens when the connection drops and returns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { ClientMessage, ServerMessage } from '../../src/shared/api.js';
import { LongviewError } from '../../src/shared/errors.js';
import { decodeWire, encodeWire } from '../../src/shared/wire.js';
import { createSocketApi, reconnectDelay, type ConnectionState, type OpenSocket, type SocketApi } from '../../renderer/src/api/socket-api.js';

/** The `ws` client behind socket-api's small socket interface (the app uses the browser's WebSocket the same way). */
const openWsSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  let closed = false;
  const closeOnce = (): void => {
    if (!closed) {
      closed = true;
      handlers.close();
    }
  };
  socket.on('open', () => handlers.open());
  socket.on('message', (data, isBinary) => {
    if (!isBinary) handlers.message(data.toString());
  });
  socket.on('close', closeOnce);
  socket.on('error', closeOnce);
  return { send: (text) => socket.send(text), close: () => socket.close() };
};

type Handler = (message: ClientMessage, reply: (message: ServerMessage) => void, socket: WebSocket) => void;

async function startServer(handle: Handler, port = 0): Promise<{ server: WebSocketServer; url: string; port: number; received: ClientMessage[] }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const received: ClientMessage[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = decodeWire(data.toString()) as ClientMessage;
      received.push(message);
      handle(message, (reply) => socket.send(encodeWire(reply)), socket);
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return { server, url: `ws://127.0.0.1:${actual}/api?token=t`, port: actual, received };
}

function closeServer(server: WebSocketServer): Promise<void> {
  for (const client of server.clients) client.terminate();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The first connection state from now on that `accept` takes. */
function firstState(client: SocketApi, accept: (state: ConnectionState) => boolean): Promise<ConnectionState> {
  return new Promise((resolve) => {
    const stop = client.onConnection((state) => {
      if (accept(state)) {
        stop();
        resolve(state);
      }
    });
  });
}

function nextState(client: SocketApi, wanted: ConnectionState['state']): Promise<ConnectionState> {
  if (client.connection().state === wanted) return Promise.resolve(client.connection());
  return firstState(client, (state) => state.state === wanted);
}

/** Until the client has been 'lost' through `attempts` failed reconnects. */
function lostFor(client: SocketApi, attempts: number): Promise<ConnectionState> {
  return firstState(client, (state) => state.state === 'lost' && state.attempt >= attempts);
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('socket API', () => {
  it('sends requests with distinct ids and resolves each with its own response, bytes included', async () => {
    const { server, url, received } = await startServer((message, reply) => {
      if (message.method === 'thumbnails') {
        const request = message.request as { times: number[] };
        // Answer out of order: the client must match by id, not by arrival.
        setTimeout(() => reply({ type: 'response', id: message.id, ok: true, response: request.times.map((time) => ({ time, jpeg: new Uint8Array([time, 255, 0]) })) }), 30);
      } else {
        reply({ type: 'response', id: message.id, ok: true, response: { state: 'running' } });
      }
    });
    cleanups.push(() => closeServer(server));
    const client = createSocketApi({ url, openSocket: openWsSocket });
    cleanups.push(() => client.close());

    const [thumbnails, status] = await Promise.all([client.api.thumbnails({ videoId: 'v', times: [1, 2], height: 48 }), client.api.restartEngine({})]);
    expect(status).toEqual({ state: 'running' });
    expect(thumbnails.map((t) => t.time)).toEqual([1, 2]);
    expect(thumbnails[1]!.jpeg).toBeInstanceOf(Uint8Array);
    expect([...thumbnails[1]!.jpeg]).toEqual([2, 255, 0]);
    expect(received.map((m) => m.method)).toEqual(['thumbnails', 'restartEngine']);
    expect(new Set(received.map((m) => m.id)).size).toBe(2);
    expect(received[0]!.request).toEqual({ videoId: 'v', times: [1, 2], height: 48 });
  });

  it('rejects with a LongviewError carrying the kind, reason and message of the ApiError', async () => {
    const { server, url } = await startServer((message, reply) =>
      reply({ type: 'response', id: message.id, ok: false, error: { kind: 'input', reason: 'not-a-video', message: '/x.txt is not a video' } }),
    );
    cleanups.push(() => closeServer(server));
    const client = createSocketApi({ url, openSocket: openWsSocket });
    cleanups.push(() => client.close());

    const failure = await client.api.openVideo({ path: '/x.txt' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LongviewError);
    expect(failure).toMatchObject({ kind: 'input', reason: 'not-a-video', message: '/x.txt is not a video' });
  });

  it('delivers events to every listener of that event until it unsubscribes', async () => {
    const { server, url } = await startServer((message, reply) => {
      reply({ type: 'event', event: 'engineStatus', payload: { state: 'crashed', message: 'out of memory' } });
      reply({ type: 'event', event: 'videoOpened', payload: { videoId: 'v2' } });
      reply({ type: 'response', id: message.id, ok: true, response: null });
    });
    cleanups.push(() => closeServer(server));
    const client = createSocketApi({ url, openSocket: openWsSocket });
    cleanups.push(() => client.close());

    const first: unknown[] = [];
    const second: unknown[] = [];
    const opened: unknown[] = [];
    client.api.onEngineStatus((status) => first.push(status));
    const stop = client.api.onEngineStatus((status) => second.push(status));
    client.api.onVideoOpened((video) => opened.push(video.videoId));
    await client.api.getEnvironment({});
    stop();
    await client.api.getEnvironment({});
    expect(first).toEqual([
      { state: 'crashed', message: 'out of memory' },
      { state: 'crashed', message: 'out of memory' },
    ]);
    expect(second).toHaveLength(1);
    expect(opened).toEqual(['v2', 'v2']);
  });

  it('drops malformed frames without failing the requests around them', async () => {
    const { server, url } = await startServer((message, reply, socket) => {
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'response', id: 9999, ok: true, response: 1 }));
      socket.send(JSON.stringify({ type: 'event', event: 'nonsense', payload: 1 }));
      reply({ type: 'response', id: message.id, ok: true, response: [] });
    });
    cleanups.push(() => closeServer(server));
    const client = createSocketApi({ url, openSocket: openWsSocket });
    cleanups.push(() => client.close());
    expect(await client.api.recentVideos({})).toEqual([]);
  });

  it('rejects requests in flight when the connection drops, reports it, and reconnects', async () => {
    let answer = false;
    const first = await startServer((message, reply, socket) => {
      if (answer) reply({ type: 'response', id: message.id, ok: true, response: [] });
      else socket.terminate();
    });
    const states: string[] = [];
    const client = createSocketApi({ url: first.url, openSocket: openWsSocket, delay: () => 20 });
    cleanups.push(() => client.close());
    client.onConnection((state) => states.push(state.state));

    const lost = await client.api.listModels({}).catch((error: unknown) => error);
    expect(lost).toMatchObject({ kind: 'internal', reason: 'connection-lost' });
    answer = true;
    await nextState(client, 'open');
    expect(await client.api.listModels({})).toEqual([]);
    expect(states).toContain('lost');
    await closeServer(first.server);
  });

  it('holds requests made while disconnected and sends them once the server is back', async () => {
    const { server, port } = await startServer((message, reply) => reply({ type: 'response', id: message.id, ok: true, response: [] }));
    const url = `ws://127.0.0.1:${port}/api?token=t`;
    const client = createSocketApi({ url, openSocket: openWsSocket, delay: () => 30 });
    cleanups.push(() => client.close());
    await nextState(client, 'open');

    await closeServer(server);
    const lost = await nextState(client, 'lost');
    expect(lost).toMatchObject({ state: 'lost', attempt: 1 });
    const waiting = client.api.recentVideos({});

    const again = await startServer((message, reply) => reply({ type: 'response', id: message.id, ok: true, response: [{ path: '/a', name: 'a', openedAt: '', exists: true }] }), port);
    cleanups.push(() => closeServer(again.server));
    expect(await waiting).toEqual([{ path: '/a', name: 'a', openedAt: '', exists: true }]);
    expect(client.connection()).toEqual({ state: 'open' });
  });

  it('calls a socket refused at the handshake (403) "refused" after two tries on a page never connected, and retries slowly', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: (_info, done) => done(false, 403, 'Forbidden') });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    cleanups.push(() => closeServer(server));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api?token=wrong`;
    const states: ConnectionState[] = [];
    const client = createSocketApi({ url, openSocket: openWsSocket, delay: () => 10, refusedDelay: 60_000 });
    cleanups.push(() => client.close());
    client.onConnection((state) => states.push(state));

    const refused = await nextState(client, 'refused');
    expect(refused).toEqual({ state: 'refused', attempt: 2, retryInMs: 60_000 });
    // One quick retry before giving that verdict, none after it: the next try waits the slow delay.
    expect(states.filter((state) => state.state === 'connecting')).toHaveLength(1);
    expect(states.filter((state) => state.state === 'lost').map((state) => state.state === 'lost' && state.attempt)).toEqual([1, 2]);

    client.retry();
    expect(client.connection()).toEqual({ state: 'connecting', attempt: 2 });
    expect(await nextState(client, 'refused')).toMatchObject({ state: 'refused', attempt: 3 });
  });

  it('keeps calling a dropped connection "lost" while its server is away, and comes back when it returns', async () => {
    const { server, port } = await startServer((message, reply) => reply({ type: 'response', id: message.id, ok: true, response: [] }));
    const states: string[] = [];
    const client = createSocketApi({ url: `ws://127.0.0.1:${port}/api?token=t`, openSocket: openWsSocket, delay: () => 10 });
    cleanups.push(() => client.close());
    client.onConnection((state) => states.push(state.state));
    await nextState(client, 'open');
    await closeServer(server);
    // Several failed handshakes in a row, far more than REFUSED_AFTER.
    await lostFor(client, 5);
    expect(states).not.toContain('refused');
    const again = await startServer((message, reply) => reply({ type: 'response', id: message.id, ok: true, response: [] }), port);
    cleanups.push(() => closeServer(again.server));
    await nextState(client, 'open');
    expect(states).not.toContain('refused');
  });

  it('asks serverAnswers after a drop: a server that answers but refuses the socket makes it "refused", one that is gone keeps it "lost"', async () => {
    const { server, port } = await startServer((message, reply) => reply({ type: 'response', id: message.id, ok: true, response: [] }));
    let answers = false;
    const asked: boolean[] = [];
    const client = createSocketApi({
      url: `ws://127.0.0.1:${port}/api?token=t`,
      openSocket: openWsSocket,
      delay: () => 10,
      serverAnswers: () => {
        asked.push(answers);
        return Promise.resolve(answers);
      },
    });
    cleanups.push(() => client.close());
    await nextState(client, 'open');
    await closeServer(server);
    await lostFor(client, 4);
    expect(client.connection().state).not.toBe('refused');
    // The server is back (it answers HTTP) but with another token: every handshake is refused.
    const restarted = new WebSocketServer({ host: '127.0.0.1', port, verifyClient: (_info, done) => done(false, 403, 'Forbidden') });
    await new Promise<void>((resolve) => restarted.once('listening', () => resolve()));
    cleanups.push(() => closeServer(restarted));
    answers = true;
    expect(await nextState(client, 'refused')).toMatchObject({ state: 'refused' });
    expect(asked).toContain(false);
  });

  it('fails everything pending when closed for good', async () => {
    const { server, url } = await startServer(() => undefined);
    cleanups.push(() => closeServer(server));
    const client = createSocketApi({ url, openSocket: openWsSocket });
    await nextState(client, 'open');
    const pending = client.api.getSettings({});
    client.close();
    await expect(pending).rejects.toMatchObject({ reason: 'closed' });
    await expect(client.api.getSettings({})).rejects.toMatchObject({ reason: 'closed' });
    expect(client.connection()).toEqual({ state: 'closed' });
  });

  it.each([
    [0, 250],
    [1, 500],
    [3, 2000],
    [5, 8000],
    [30, 8000],
  ])('reconnect delay after %s failures is %s ms', (attempt, expected) => {
    expect(reconnectDelay(attempt)).toBe(expected);
  });
});
