/**
 * `LongviewApi` over a WebSocket, for a browser talking to `longview serve`. Pure of the DOM: the
 * socket comes from `openSocket` (the browser's WebSocket in the app, the `ws` package in tests).
 *
 * Messages are `ClientMessage` / `ServerMessage` (src/shared/api.ts) encoded with `encodeWire`.
 * Each request gets an id and a promise; a failed response rejects with a `LongviewError` carrying
 * the engine's kind and reason. When the socket drops, requests already sent are rejected
 * ('connection-lost': the server may or may not have run them, so they are never re-sent), new
 * requests wait for the next connection, and the client reconnects with exponential backoff while
 * `onConnection` tells the UI so it can show the state.
 *
 * A socket that closes before it opens was refused at the handshake or never reached a server; the
 * browser does not say which (both are close code 1006). After REFUSED_AFTER such failures in a row
 * the client calls it 'refused' (the server answers 403 for a wrong token, so the page's address is
 * wrong) when `serverAnswers` says the server is up, or, without that check, when this client has
 * never been connected: the page was just served, so its server was there. A refused client
 * retries only every REFUSED_RETRY_MS (or at once through `retry`), instead of hammering.
 */
import {
  EVENT_NAMES,
  REQUEST_NAMES,
  isEventName,
  subscriptionName,
  type ApiError,
  type ClientMessage,
  type EventName,
  type LongviewApi,
  type RequestName,
  type Unsubscribe,
} from '../../../src/shared/api.js';
import { LongviewError } from '../../../src/shared/errors.js';
import { decodeWire, encodeWire } from '../../../src/shared/wire.js';

export type ConnectionState =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  /** Reconnecting in `retryInMs` milliseconds; `attempt` counts failed tries since the last open. */
  | { state: 'lost'; attempt: number; retryInMs: number }
  /** The server turns this page away (wrong or old token): retrying in `retryInMs` ms, rarely. */
  | { state: 'refused'; attempt: number; retryInMs: number }
  | { state: 'closed' };

/** Failed handshakes in a row before the client concludes it is refused rather than briefly unreachable. */
export const REFUSED_AFTER = 2;
/** Retry interval once refused, ms: a new `longview serve` on the same port may take this page back. */
export const REFUSED_RETRY_MS = 30_000;

export interface SocketHandlers {
  open(): void;
  message(text: string): void;
  /** Called once per socket, whether it failed to open or dropped later. */
  close(): void;
}

export interface SocketConnection {
  send(text: string): void;
  close(): void;
}

export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketConnection;

export interface SocketApiOptions {
  url: string;
  openSocket: OpenSocket;
  /** Milliseconds before reconnect attempt `attempt` (0-based); default `reconnectDelay`. */
  delay?: (attempt: number) => number;
  /** Milliseconds between retries once refused; default REFUSED_RETRY_MS. */
  refusedDelay?: number;
  /** Whether the server answers plain HTTP now; resolves false when it cannot be reached. */
  serverAnswers?: () => Promise<boolean>;
}

export interface SocketApi {
  api: LongviewApi;
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): Unsubscribe;
  /** Tries to connect now instead of waiting for the next scheduled attempt (a Retry button). */
  retry(): void;
  /** Closes for good: pending requests are rejected, no reconnect. */
  close(): void;
}

/** 250 ms, doubling, at most 8 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(8000, 250 * 2 ** Math.max(0, attempt));
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

function isApiError(value: unknown): value is ApiError {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return typeof record.kind === 'string' && typeof record.reason === 'string' && typeof record.message === 'string';
}

function toError(error: unknown): LongviewError {
  if (isApiError(error)) return new LongviewError(error.kind, error.reason, error.message);
  return new LongviewError('internal', 'bad-response', 'the server answered with an error it did not describe');
}

export function createSocketApi(options: SocketApiOptions): SocketApi {
  const delay = options.delay ?? reconnectDelay;
  const refusedDelay = options.refusedDelay ?? REFUSED_RETRY_MS;
  let nextId = 1;
  /** Sent and awaiting a response. */
  const sent = new Map<number, Pending>();
  /** Not sent yet: waiting for a connection. */
  const queued: Array<{ id: number; text: string; pending: Pending }> = [];
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = { state: 'connecting', attempt: 0 };
  let socket: SocketConnection | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  /** Sockets in a row that closed without ever opening. */
  let refusals = 0;
  let everOpened = false;

  function setState(next: ConnectionState): void {
    state = next;
    for (const listener of [...connectionListeners]) listener(next);
  }

  function handleMessage(text: string): void {
    let message: unknown;
    try {
      message = decodeWire(text);
    } catch {
      return; // Not ours to crash on: a malformed frame is dropped.
    }
    if (message === null || typeof message !== 'object') return;
    const record = message as Record<string, unknown>;
    if (record.type === 'response' && typeof record.id === 'number') {
      const pending = sent.get(record.id);
      if (pending === undefined) return;
      sent.delete(record.id);
      if (record.ok === true) pending.resolve(record.response);
      else pending.reject(toError(record.error));
    } else if (record.type === 'event' && isEventName(record.event)) {
      for (const listener of [...(eventListeners.get(record.event) ?? [])]) {
        try {
          listener(record.payload);
        } catch (error) {
          // One broken listener must not starve the others.
          console.error(error);
        }
      }
    }
  }

  function flush(): void {
    while (socket !== null && state.state === 'open' && queued.length > 0) {
      const item = queued.shift()!;
      sent.set(item.id, item.pending);
      socket.send(item.text);
    }
  }

  function schedule(retryInMs: number): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(connect, retryInMs);
  }

  /** After a failed handshake: whether to call it refused (see the module comment). */
  async function isRefused(): Promise<boolean> {
    if (refusals < REFUSED_AFTER) return false;
    if (options.serverAnswers === undefined) return !everOpened;
    try {
      return await options.serverAnswers();
    } catch {
      return false;
    }
  }

  function connect(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    setState({ state: 'connecting', attempt: failures });
    let live = true;
    let opened = false;
    const current = options.openSocket(options.url, {
      open() {
        if (!live) return;
        opened = true;
        everOpened = true;
        failures = 0;
        refusals = 0;
        setState({ state: 'open' });
        flush();
      },
      message(text) {
        if (live) handleMessage(text);
      },
      close() {
        if (!live) return;
        live = false;
        socket = null;
        const lost = new LongviewError('internal', 'connection-lost', 'the connection to Longview was lost before it answered; try again');
        for (const pending of sent.values()) pending.reject(lost);
        sent.clear();
        if (state.state === 'closed') return;
        refusals = opened ? 0 : refusals + 1;
        const retryInMs = delay(failures);
        failures += 1;
        const lostState: ConnectionState = { state: 'lost', attempt: failures, retryInMs };
        setState(lostState);
        schedule(retryInMs);
        void isRefused().then((refused) => {
          // Only if nothing happened meanwhile (a retry, an open, a close for good).
          if (!refused || state !== lostState) return;
          setState({ state: 'refused', attempt: lostState.attempt, retryInMs: refusedDelay });
          schedule(refusedDelay);
        });
      },
    });
    socket = current;
  }

  function request(method: RequestName, payload: unknown): Promise<unknown> {
    if (state.state === 'closed') return Promise.reject(new LongviewError('internal', 'closed', 'the connection to Longview is closed'));
    const id = nextId++;
    const message: ClientMessage = { type: 'request', id, method, request: payload };
    return new Promise((resolve, reject) => {
      queued.push({ id, text: encodeWire(message), pending: { resolve, reject } });
      flush();
    });
  }

  function subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe {
    let listeners = eventListeners.get(event);
    if (listeners === undefined) eventListeners.set(event, (listeners = new Set()));
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  const api: Record<string, unknown> = {};
  for (const method of REQUEST_NAMES) api[method] = (payload: unknown) => request(method, payload);
  for (const event of EVENT_NAMES) api[subscriptionName(event)] = (listener: (payload: unknown) => void) => subscribe(event, listener);

  connect();

  return {
    api: api as unknown as LongviewApi,
    connection: () => state,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
    retry() {
      if (state.state === 'lost' || state.state === 'refused') connect();
    },
    close() {
      setState({ state: 'closed' });
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const closed = new LongviewError('internal', 'closed', 'the connection to Longview is closed');
      for (const pending of sent.values()) pending.reject(closed);
      for (const item of queued) item.pending.reject(closed);
      sent.clear();
      queued.length = 0;
      socket?.close();
      socket = null;
    },
  };
}
