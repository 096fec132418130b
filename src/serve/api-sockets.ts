/**
 * The API over WebSockets: each text message is a `ClientMessage` (wire.ts JSON), answered with a
 * `ServerMessage`; engine events go to every connected socket. Dead connections are found by
 * ping/pong and closed, so a sleeping laptop's tab does not pin memory for ever.
 */
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../shared/api.js';
import { decodeWire, encodeWire } from '../shared/wire.js';
import { UsageError } from '../shared/errors.js';
import { toApiError } from '../service/api-error.js';
import type { Host } from '../service/host.js';

/** Seconds between pings; a socket that missed one pong is closed at the next. */
const PING_INTERVAL_MS = 30_000;

export class ApiSockets {
  readonly #host: Host;
  readonly #sockets = new Set<WebSocket>();
  readonly #alive = new WeakMap<WebSocket, boolean>();
  readonly #timer: NodeJS.Timeout;

  constructor(host: Host) {
    this.#host = host;
    this.#timer = setInterval(() => this.#ping(), PING_INTERVAL_MS);
    this.#timer.unref();
  }

  add(socket: WebSocket): void {
    this.#sockets.add(socket);
    this.#alive.set(socket, true);
    socket.on('pong', () => this.#alive.set(socket, true));
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        socket.close(1003, 'text messages only');
        return;
      }
      void this.#answer(socket, data.toString());
    });
  }

  broadcast(message: ServerMessage): void {
    const text = encodeWire(message);
    for (const socket of this.#sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  }

  /** Closes every socket (1001: going away) and stops pinging. */
  close(): void {
    clearInterval(this.#timer);
    for (const socket of this.#sockets) socket.close(1001, 'server stopping');
  }

  async #answer(socket: WebSocket, text: string): Promise<void> {
    let id: number | undefined;
    let reply: ServerMessage;
    try {
      const message = parseRequest(text);
      id = message.id;
      reply = { type: 'response', id, ok: true, response: await this.#host.handle(message.method, message.request) };
    } catch (error) {
      if (id === undefined) {
        socket.close(1008, 'not an API request');
        return;
      }
      reply = { type: 'response', id, ok: false, error: toApiError(error) };
    }
    if (socket.readyState === socket.OPEN) socket.send(encodeWire(reply));
  }

  #ping(): void {
    for (const socket of this.#sockets) {
      if (this.#alive.get(socket) !== true) {
        socket.terminate();
        continue;
      }
      this.#alive.set(socket, false);
      socket.ping();
    }
  }
}

/** A ClientMessage's frame; its method and payload are checked by the host. */
function parseRequest(text: string): { id: number; method: string; request: unknown } {
  let value: unknown;
  try {
    value = decodeWire(text);
  } catch {
    throw new UsageError('The message is not JSON.');
  }
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (record.type !== 'request' || !Number.isSafeInteger(record.id) || typeof record.method !== 'string') throw new UsageError('The message is not a request.');
  return { id: record.id as number, method: record.method, request: record.request };
}
