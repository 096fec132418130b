/**
 * The one window's settings and the guards every web contents gets. The renderer is untrusted
 * code by construction (it shows file names and labels from checkpoints): no Node, a sandboxed
 * preload, isolated context, no navigation away from the app, no popups, no webviews and no
 * permission (camera, notifications, ...) ever granted.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isAppUrl } from './app-origin.js';

/** Pixels; the timeline needs width more than height. */
const DEFAULT_SIZE = { width: 1280, height: 800, minWidth: 800, minHeight: 500 };

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...DEFAULT_SIZE,
    title: 'Longview',
    show: false,
    backgroundColor: '#16181d',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

/** The part of WebContents the guards use, so tests can drive them with an event emitter. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Navigation and redirects stay inside `app://longview`; window.open and target=_blank are
 * denied; <webview> is never attached. Call from `app.on('web-contents-created')`.
 */
export function guardWebContents(contents: GuardedContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/** No page of ours needs a permission: every request is denied and every check answers false. */
export function denyPermissions(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
