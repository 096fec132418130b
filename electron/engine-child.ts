/**
 * The engine process as the supervisor sees it: something that takes messages, sends messages
 * and exits. Electron's UtilityProcess is adapted here; tests adapt node's child_process.fork to
 * the same shape, so the supervisor is exercised against a real second process either way.
 */
import type { UtilityProcess } from 'electron';

export interface EngineChild {
  /** Never throws: a message to a process that just died is dropped (its exit is reported anyway). */
  postMessage(message: unknown): void;
  /** The one receiver of the process's messages (the shape engine-endpoint.ts's MessagePort has). */
  onMessage(listener: (message: unknown) => void): void;
  /** `code` is null when the process was killed by a signal. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type ForkEngine = () => EngineChild;

export function fromUtilityProcess(child: UtilityProcess): EngineChild {
  return {
    postMessage: (message) => {
      try {
        child.postMessage(message);
      } catch {
        // The process is gone; its 'exit' ends the waiting call.
      }
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', (code) => listener(code)),
    kill: () => void child.kill(),
  };
}
