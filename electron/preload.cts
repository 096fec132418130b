/**
 * The bridge the renderer sees as `window.longview` (a `LongviewApi`) and `window.longviewFiles`.
 *
 * Sandboxed preloads run as CommonJS and may require only 'electron', so nothing from src/shared
 * is imported at run time: the name tables below are checked against the contract by the type
 * system (`satisfies`, a missing or extra name does not compile) and by test/electron/preload.test.ts.
 * The renderer never gets ipcRenderer itself: one function per request, one `on…` per event.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiError, EventName, LongviewApi, RequestName } from '../src/shared/api.js';
import type { IpcResult } from './ipc-result.js';

// Same strings as ipc-result.ts (imported there by the main process); a test compares them.
const REQUEST_CHANNEL = 'longview:request';
const EVENT_CHANNEL = 'longview:event';

const REQUESTS = {
  getEnvironment: true,
  openVideo: true,
  chooseVideo: true,
  startupVideos: true,
  recentVideos: true,
  listModels: true,
  startAnalysis: true,
  cancelAnalysis: true,
  getAnalysis: true,
  resegment: true,
  exportAnalysis: true,
  loadEdits: true,
  saveEdits: true,
  thumbnails: true,
  getSettings: true,
  setSettings: true,
  restartEngine: true,
} as const satisfies Record<RequestName, true>;

const EVENTS = {
  analysisUpdate: 'onAnalysisUpdate',
  videoOpened: 'onVideoOpened',
  engineStatus: 'onEngineStatus',
} as const satisfies { [K in EventName]: `on${Capitalize<K>}` };

/**
 * What a failed request rejects with: the ApiError's kind, reason and message plus name
 * 'LongviewError'. A plain object, not an Error, on purpose: contextBridge copies an Error's message
 * only and drops every other property, while a plain object crosses with all of its fields, so the
 * UI can still choose its message by `kind`.
 */
export interface BridgedError extends ApiError {
  name: 'LongviewError';
}

function request(name: RequestName): (payload: unknown) => Promise<unknown> {
  return async (payload) => {
    const result = (await ipcRenderer.invoke(REQUEST_CHANNEL, name, payload)) as IpcResult;
    if (result.ok) return result.response;
    const error: BridgedError = { name: 'LongviewError', kind: result.error.kind, reason: result.error.reason, message: result.error.message };
    throw error;
  };
}

function subscription(name: EventName): (listener: (payload: unknown) => void) => () => void {
  return (listener) => {
    if (typeof listener !== 'function') throw new TypeError(`${EVENTS[name]} takes a function`);
    const forward = (_event: IpcRendererEvent, eventName: unknown, payload: unknown): void => {
      if (eventName === name) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  };
}

function buildApi(): LongviewApi {
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(REQUESTS) as RequestName[]) api[name] = request(name);
  for (const name of Object.keys(EVENTS) as EventName[]) api[EVENTS[name]] = subscription(name);
  return api as LongviewApi;
}

export interface LongviewFiles {
  /** The absolute path of a dropped File ('' when it has none, e.g. a file made in the page). */
  pathForFile(file: File): string;
}

contextBridge.exposeInMainWorld('longview', buildApi());
contextBridge.exposeInMainWorld('longviewFiles', { pathForFile: (file: File) => webUtils.getPathForFile(file) } satisfies LongviewFiles);
