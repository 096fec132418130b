/**
 * The engine's side of the contract: every request of api.ts that needs the engine, with
 * `openVideo` taking the id the host granted (the host owns which files may be reached; the
 * engine probes them). Host-only requests (chooseVideo, startupVideos, restartEngine) are absent.
 */
import { isRequestName, type ApiEvents, type ApiRequests, type EventName, type OpenedVideo} from '../shared/api.js';

export type EngineRequests = Omit<ApiRequests, 'openVideo' | HostOnlyRequest> & {
  openVideo: { request: { path: string; videoId: string }; response: Omit<OpenedVideo, 'mediaUrl'> };
};

/** Requests only a host can answer (dialogs, its own list of opened files, its engine process). */
type HostOnlyRequest = 'chooseVideo' | 'startupVideos' | 'restartEngine';

export type EngineRequestName = keyof EngineRequests;
export type EngineRequestOf<K extends EngineRequestName> = EngineRequests[K]['request'];
export type EngineResponseOf<K extends EngineRequestName> = EngineRequests[K]['response'];

export type EmitEvent = <K extends EventName>(event: K, payload: ApiEvents[K]) => void;

export interface EngineServiceOptions {
  /** Settings, edits, the recent list. */
  dataFolder: string;
  /** Analysis stores, the checksum cache, Longview's models folder and models.json. */
  cacheDirectory: string;
  host: 'electron' | 'browser';
  emit: EmitEvent;
}

export interface EngineService {
  /** Validates `request`, then answers; every failure is a LongviewError. */
  handle(method: string, request: unknown): Promise<unknown>;
  /** Cancels running jobs and waits for them to end. */
  dispose(): Promise<void>;
}

const HOST_ONLY: readonly string[] = ['chooseVideo', 'startupVideos', 'restartEngine'] satisfies HostOnlyRequest[];

export function isEngineRequestName(value: unknown): value is EngineRequestName {
  return isRequestName(value) && !HOST_ONLY.includes(value);
}
