/**
 * The engine process's entry: `utilityProcess.fork` runs this file (dist/electron/engine-process.js).
 * It puts a message port around `process.parentPort` (or node's own IPC channel when started
 * by child_process.fork, e.g. headless tests) and runs the shared engine service on it.
 *
 * The listener is attached before the engine's modules load (they are imported dynamically), and
 * messages that arrive meanwhile are queued, so the first requests of a fresh process are not lost.
 */
import type { ParentPort } from 'electron';
import { parseEngineArguments } from './engine-arguments.js';

interface MessagePortLike {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

function connectToParent(): MessagePortLike {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort !== undefined) {
    return {
      postMessage: (message) => parentPort.postMessage(message),
      onMessage: (listener) => void parentPort.on('message', (event) => listener(event.data)),
    };
  }
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('engine-process.js must be started by utilityProcess.fork or child_process.fork');
  // Electron ends a utility process with its parent; a node child must notice the parent is gone itself.
  process.once('disconnect', () => process.exit(0));
  return {
    postMessage: (message) => void send(message),
    onMessage: (listener) => void process.on('message', listener),
  };
}

/** A port whose messages are held until the engine attaches its own listener. */
function queuedPort(port: MessagePortLike): MessagePortLike {
  const queue: unknown[] = [];
  let deliver: ((message: unknown) => void) | undefined;
  port.onMessage((message) => (deliver === undefined ? queue.push(message) : deliver(message)));
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      deliver = listener;
      for (const message of queue.splice(0)) listener(message);
    },
  };
}

const port = queuedPort(connectToParent());
const folders = parseEngineArguments(process.argv);
const { serveEngine } = await import('../src/service/engine-endpoint.js');
serveEngine(port, { ...folders, host: 'electron' });
