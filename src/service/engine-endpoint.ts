/**
 * The engine as a message loop, and its client. Electron runs `serveEngine` in a utility process
 * around `process.parentPort` and `engineClient` in the main process around the child; any pair of
 * ports that carry structured-clone messages works (tests use a MessageChannel). Messages are the
 * api.ts `ClientMessage` / `ServerMessage`; errors cross as `ApiError` and become LongviewErrors
 * again on the client side.
 */
import type { ApiEvents, ClientMessage, EventName, ServerMessage, Unsubscribe } from '../shared/api.js';
import { isEventName } from '../shared/api.js';
import { LongviewError } from '../shared/errors.js';
import { fromApiError, isApiError, toApiError } from './api-error.js';
import { createEngineService } from './engine-service.js';
import type { EngineService, EngineServiceOptions } from './engine-types.js';

export interface MessagePort {
  postMessage(message: unknown): void;
  /** Registers the one receiver of incoming messages. */
  onMessage(receive: (message: unknown) => void): void;
}

/** Starts an engine answering `port`; events go out on the same port. */
export function serveEngine(port: MessagePort, options: Omit<EngineServiceOptions, 'emit'>): EngineService {
  const engine = createEngineService({ ...options, emit: (event, payload) => port.postMessage({ type: 'event', event, payload } satisfies ServerMessage) });
  port.onMessage((message) => {
    const request = asClientMessage(message);
    if (request === undefined) return;
    engine.handle(request.method, request.request).then(
      (response) => port.postMessage({ type: 'response', id: request.id, ok: true, response } satisfies ServerMessage),
      (error: unknown) => port.postMessage({ type: 'response', id: request.id, ok: false, error: toApiError(error) } satisfies ServerMessage),
    );
  });
  return engine;
}

export interface EngineClient {
  call(method: string, request: unknown): Promise<unknown>;
  onEvent(listener: <K extends EventName>(event: K, payload: ApiEvents[K]) => void): Unsubscribe;
  /** Rejects every pending call (the engine process died) and all later ones until `reset`. */
  fail(error: LongviewError): void;
  /** Accepts calls again (a new engine process on a new port is not this client: make a new one). */
  reset(): void;
}

export function engineClient(port: MessagePort): EngineClient {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const listeners = new Set<<K extends EventName>(event: K, payload: ApiEvents[K]) => void>();
  let nextId = 1;
  let failure: LongviewError | undefined;

  port.onMessage((message) => {
    const answer = asServerMessage(message);
    if (answer === undefined) return;
    if (answer.type === 'event') {
      for (const listener of listeners) listener(answer.event, answer.payload as ApiEvents[typeof answer.event]);
      return;
    }
    const waiting = pending.get(answer.id);
    if (waiting === undefined) return;
    pending.delete(answer.id);
    if (answer.ok) waiting.resolve(answer.response);
    else waiting.reject(fromApiError(answer.error));
  });

  return {
    call(method, request) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.postMessage({ type: 'request', id, method, request } as ClientMessage);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    fail(error) {
      failure = error;
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    },
    reset() {
      failure = undefined;
    },
  };
}

/** Ports carry whatever the other side sent: shapes are checked, the method by the engine itself. */
function asClientMessage(message: unknown): { id: number; method: string; request: unknown } | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as Record<string, unknown>;
  if (record.type !== 'request' || !Number.isSafeInteger(record.id) || typeof record.method !== 'string') return undefined;
  return { id: record.id as number, method: record.method, request: record.request };
}

function asServerMessage(message: unknown): ServerMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as Record<string, unknown>;
  if (record.type === 'event' && isEventName(record.event)) return record as ServerMessage;
  if (record.type === 'response' && Number.isSafeInteger(record.id)) {
    if (record.ok === true) return record as ServerMessage;
    if (record.ok === false && isApiError(record.error)) return record as ServerMessage;
  }
  return undefined;
}
