/**
 * The main process's end of the bridge. One channel carries every request; each is answered only
 * for our window's main frame on an app:// page (sender-check.ts), only for a known request name,
 * and always as an `IpcResult` (never a rejection, which would lose the error's kind). Events go
 * out on one channel to our window only.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { isRequestName, type EventName, type RequestName } from '../src/shared/api.js';
import { isAppUrl } from './app-origin.js';
import { EVENT_CHANNEL, REQUEST_CHANNEL, settle, type IpcResult } from './ipc-result.js';
import { checkSender, type SenderFacts } from './sender-check.js';

export interface RequestHandlerOptions {
  /** `webContents.id` of our window, undefined while it does not exist. */
  trustedWebContentsId(): number | undefined;
  handle(method: RequestName, request: unknown): Promise<unknown>;
}

/** What the handler reads off an invoke event; a structural subset, so tests can build one. */
export type RequestEvent = {
  sender: Pick<IpcMainInvokeEvent['sender'], 'id'> & { mainFrame: unknown };
  senderFrame: { url: string; parent: unknown } | null;
};

export function senderFacts(event: RequestEvent, trustedWebContentsId: number | undefined): SenderFacts {
  // senderFrame is null once the frame navigated away or was destroyed; reading it can also throw then.
  let frame: RequestEvent['senderFrame'] = null;
  try {
    frame = event.senderFrame;
  } catch {
    frame = null;
  }
  return {
    webContentsId: event.sender.id,
    trustedWebContentsId,
    frameUrl: frame?.url,
    isMainFrame: frame !== null && frame.parent === null && frame === event.sender.mainFrame,
  };
}

/** The whole decision for one invoke, without Electron: exported for tests. */
export async function answerRequest(options: RequestHandlerOptions, event: RequestEvent, method: unknown, request: unknown): Promise<IpcResult> {
  const verdict = checkSender(senderFacts(event, options.trustedWebContentsId()));
  if (!verdict.trusted) {
    return { ok: false, error: { kind: 'usage', reason: 'untrusted-sender', message: `Request refused: it did not come from the Longview window (${verdict.why}).` } };
  }
  if (!isRequestName(method)) {
    return { ok: false, error: { kind: 'usage', reason: 'unknown-request', message: 'Request refused: unknown request name.' } };
  }
  return settle(() => options.handle(method, request));
}

export function registerRequestHandler(ipcMain: Pick<IpcMain, 'handle'>, options: RequestHandlerOptions): void {
  ipcMain.handle(REQUEST_CHANNEL, (event, method: unknown, request: unknown) => answerRequest(options, event, method, request));
}

/** Sends an event to the window, but only while it shows an app:// page and is alive. */
export function sendEvent(contents: Pick<WebContents, 'isDestroyed' | 'getURL' | 'send'> | undefined, event: EventName, payload: unknown): void {
  if (contents === undefined || contents.isDestroyed() || !isAppUrl(contents.getURL())) return;
  contents.send(EVENT_CHANNEL, event, payload);
}
