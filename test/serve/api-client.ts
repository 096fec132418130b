/**
 * Test helper (not a test): a WebSocket client of `longview serve` speaking the api.ts messages,
 * with every event kept in arrival order.
 */
import WebSocket from 'ws';
import type { AnalysisUpdate, ServerMessage } from '../../src/shared/api.js';
import { decodeWire, encodeWire } from '../../src/shared/wire.js';

export class ApiClient {
  readonly updates: AnalysisUpdate[] = [];
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  readonly #waiters: { test: (update: AnalysisUpdate) => boolean; resolve: (update: AnalysisUpdate) => void }[] = [];
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      const message = decodeWire(data.toString()) as ServerMessage;
      if (message.type === 'event') {
        if (message.event !== 'analysisUpdate') return;
        const update = message.payload as AnalysisUpdate;
        this.updates.push(update);
        for (const waiter of [...this.#waiters]) {
          if (waiter.test(update)) {
            this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
            waiter.resolve(update);
          }
        }
        return;
      }
      const waiting = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.response);
      else waiting?.reject(message.error);
    });
  }

  static connect(url: string, origin: string): Promise<ApiClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { origin });
      socket.once('open', () => resolve(new ApiClient(socket)));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  call<T = unknown>(method: string, request: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#socket.send(encodeWire({ type: 'request', id, method, request }));
    });
  }

  /** The first update (already received or still to come) that passes `test`. */
  next(test: (update: AnalysisUpdate) => boolean): Promise<AnalysisUpdate> {
    const seen = this.updates.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  close(): void {
    this.#socket.close();
  }
}
