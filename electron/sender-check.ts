/**
 * Who may call the engine over IPC: only the main frame of our own window, showing a page of the
 * app origin. A subframe, another window, a page that navigated away (file://, http://) or another
 * `app://` host is refused, so a compromised or foreign page cannot reach the engine even if the
 * preload were exposed to it. Pure: main.ts/ipc.ts read the facts off the IPC event.
 */
import { isAppUrl } from './app-origin.js';

export interface SenderFacts {
  /** `event.sender.id`. */
  webContentsId: number;
  /** The window we created, or undefined before it exists / after it closed. */
  trustedWebContentsId: number | undefined;
  /** `event.senderFrame?.url`; undefined when the frame is gone (navigated or destroyed). */
  frameUrl: string | undefined;
  /** `event.senderFrame` is `event.sender.mainFrame` (no parent frame). */
  isMainFrame: boolean;
}

export type SenderVerdict = { trusted: true } | { trusted: false; why: string };

export function checkSender(facts: SenderFacts): SenderVerdict {
  if (facts.trustedWebContentsId === undefined || facts.webContentsId !== facts.trustedWebContentsId) return { trusted: false, why: 'not the app window' };
  if (facts.frameUrl === undefined) return { trusted: false, why: 'the sending frame is gone' };
  if (!facts.isMainFrame) return { trusted: false, why: 'a subframe' };
  if (!isAppUrl(facts.frameUrl)) return { trusted: false, why: 'not an app:// page' };
  return { trusted: true };
}
