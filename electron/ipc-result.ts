/**
 * What crosses `ipcRenderer.invoke`: a rejected invoke reaches the renderer as a bare Error whose
 * message Electron prefixes and whose `kind`/`reason` are gone, so the main process never rejects;
 * it answers `{ ok, response | error }` and the preload turns an error back into a rejection.
 */
import type { ApiError } from '../src/shared/api.js';
import { toApiError } from '../src/service/api-error.js';

export const REQUEST_CHANNEL = 'longview:request';
export const EVENT_CHANNEL = 'longview:event';

export type IpcResult = { ok: true; response: unknown } | { ok: false; error: ApiError };

export async function settle(work: () => Promise<unknown>): Promise<IpcResult> {
  try {
    return { ok: true, response: await work() };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}
