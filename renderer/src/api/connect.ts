/**
 * The API the renderer talks to: in Electron the preload's `window.longview`; in a browser a
 * WebSocket client to the `longview serve` that served this page, authenticated by the token
 * in the page's own address (`/?token=…` → `ws://host/api?token=…`).
 */
import type { LongviewApi, Unsubscribe } from '../../../src/shared/api.js';
import { createSocketApi, type ConnectionState, type OpenSocket } from './socket-api.js';

declare global {
  interface Window {
    longview?: LongviewApi;
    longviewFiles?: { pathForFile(file: File): string };
  }
}

export interface Connection {
  api: LongviewApi;
  host: 'electron' | 'browser';
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): Unsubscribe;
  /** Connects again now, when lost or refused. */
  retry(): void;
}

/** The browser's WebSocket behind the small interface socket-api drives. */
const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  let closed = false;
  const closeOnce = (): void => {
    if (closed) return;
    closed = true;
    handlers.close();
  };
  socket.addEventListener('open', () => handlers.open());
  socket.addEventListener('message', (event: MessageEvent) => {
    if (typeof event.data === 'string') handlers.message(event.data);
  });
  socket.addEventListener('close', closeOnce);
  socket.addEventListener('error', closeOnce);
  return { send: (text) => socket.send(text), close: () => socket.close() };
};

/**
 * Whether the server that served this page still answers plain HTTP (any status counts): if it
 * does while the socket is turned away, the socket was refused, not cut off by a network drop.
 */
function serverAnswers(): Promise<boolean> {
  return fetch(new URL('/', window.location.href), { method: 'HEAD', cache: 'no-store', credentials: 'omit' }).then(
    () => true,
    () => false,
  );
}

export function socketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

let current: Connection | null = null;

/** The page's one connection (made on first use): the API plus its connection state. */
export function connect(): Connection {
  current ??= makeConnection();
  return current;
}

/** The page's API: `window.longview` in Electron, else the WebSocket client. */
export function connectApi(): LongviewApi {
  return connect().api;
}

function makeConnection(): Connection {
  const preload = window.longview;
  if (preload !== undefined) {
    const open: ConnectionState = { state: 'open' };
    return { api: preload, host: 'electron', connection: () => open, onConnection: () => () => undefined, retry: () => undefined };
  }
  const client = createSocketApi({ url: socketUrl(window.location), openSocket: openBrowserSocket, serverAnswers });
  return { api: client.api, host: 'browser', connection: client.connection, onConnection: client.onConnection, retry: client.retry };
}
