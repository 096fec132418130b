/**
 * Runs the engine in its own process and keeps the main process's view of it honest.
 *
 * Each process gets its own `engineClient` (src/service/engine-endpoint.ts: ids, responses,
 * events). When the process dies every call still waiting is rejected with a classified error,
 * every open analysis job gets a final 'failed' update, and the status becomes 'crashed'
 * (announced as an `engineStatus` event). `restart` forks a fresh process ('restarting' →
 * 'running'). Nothing is lost by a crash: stores, edits and settings are on disk.
 */
import type { ApiError, EngineStatus, EventName } from '../src/shared/api.js';
import { LongviewError } from '../src/shared/errors.js';
import { engineClient, type EngineClient } from '../src/service/engine-endpoint.js';
import type { EngineChild, ForkEngine } from './engine-child.js';
import { OpenJobs } from './open-jobs.js';

export interface EngineSupervisorOptions {
  fork: ForkEngine;
  /** Engine events, the supervisor's own `engineStatus` changes and the 'failed' updates of jobs a crash ended. */
  onEvent(event: EventName, payload: unknown): void;
}

export interface EngineSupervisor {
  call(method: string, request: unknown): Promise<unknown>;
  /** Kills the current process if it still runs and forks a new one; resolves to the new status. */
  restart(): Promise<EngineStatus>;
  status(): EngineStatus;
  /** Stops the process for good (app quit); waiting and later calls are rejected. */
  dispose(): void;
}

interface Running {
  child: EngineChild;
  client: EngineClient;
}

export function createEngineSupervisor(options: EngineSupervisorOptions): EngineSupervisor {
  let running: Running | undefined;
  let status: EngineStatus = { state: 'restarting' };
  let disposed = false;
  const jobs = new OpenJobs();

  function setStatus(next: EngineStatus): void {
    status = next;
    options.onEvent('engineStatus', next);
  }

  /** Forgets the current process: its waiting calls and open jobs end with `error`. */
  function abandon(current: Running, error: LongviewError): void {
    if (running === current) running = undefined;
    current.client.fail(error);
    const apiError: ApiError = { kind: error.kind, reason: error.reason, message: error.message };
    for (const update of jobs.fail(apiError)) options.onEvent('analysisUpdate', update);
  }

  function start(): void {
    let child: EngineChild;
    try {
      child = options.fork();
    } catch (error) {
      setStatus({ state: 'crashed', message: `The engine could not start: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const current: Running = { child, client: engineClient(child) };
    running = current;
    current.client.onEvent((event, payload) => {
      if (running !== current) return;
      jobs.noteEvent(event, payload);
      options.onEvent(event, payload);
    });
    child.onExit((code) => {
      // A process we replaced or stopped on purpose is not a crash.
      if (running !== current) return;
      const how = code === null ? 'killed by a signal' : `exit code ${code}`;
      const message = `The engine process stopped unexpectedly (${how}). Saved analyses and edits are safe; restart the engine to continue.`;
      abandon(current, new LongviewError('backend', 'engine-crashed', message));
      setStatus({ state: 'crashed', message });
    });
    setStatus({ state: 'running' });
  }

  function stop(error: LongviewError): void {
    const current = running;
    if (current === undefined) return;
    abandon(current, error);
    current.child.kill();
  }

  start();

  return {
    async call(method, request) {
      if (disposed) throw new LongviewError('backend', 'engine-stopped', 'The engine has been shut down.');
      const current = running;
      if (current === undefined) throw new LongviewError('backend', 'engine-crashed', status.state === 'crashed' ? status.message : 'The engine is not running.');
      const response = await current.client.call(method, request);
      jobs.noteResponse(method, response);
      return response;
    },
    async restart() {
      if (disposed) throw new LongviewError('backend', 'engine-stopped', 'The engine has been shut down.');
      setStatus({ state: 'restarting' });
      stop(new LongviewError('backend', 'engine-restarted', 'The engine was restarted before this request finished.'));
      start();
      return status;
    },
    status: () => status,
    dispose() {
      if (disposed) return;
      disposed = true;
      stop(new LongviewError('backend', 'engine-stopped', 'The engine has been shut down.'));
    },
  };
}
