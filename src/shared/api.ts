/**
 * The UI↔engine contract, typed once. The renderer calls it as `LongviewApi`; the Electron preload,
 * the main process's IPC handlers, the engine's utility process and the `longview serve` WebSocket
 * transport are all checked against these maps.
 *
 * Every request takes one plain object (`{}` when it needs nothing) and returns a promise; every
 * subscription takes a listener and returns an unsubscribe. Payloads are structured-clone and
 * JSON safe (Uint8Array travels through `wire.ts`).
 */
import type { SamplingParams, Segment, SegmentationParams, VideoInfo, WindowResult } from './analysis.js';
import type { AnalysisEvent } from './analysis-events.js';
import type { ErrorKind } from './errors.js';
import type { InputPreset } from './models.js';

// ---------------------------------------------------------------------------------------------
// Payload types
// ---------------------------------------------------------------------------------------------

export interface EnvironmentInfo {
  /** 'electron': the desktop app; 'browser': `longview serve`. */
  host: 'electron' | 'browser';
  appVersion: string;
  /** Which ffmpeg/ffprobe run, in words. */
  tools: string;
  /** Native file dialogs exist (Electron); a browser asks for a path instead. */
  canChooseFiles: boolean;
  /** Where settings, edits and recent files live. */
  dataFolder: string;
}

/** A video the user opened. `videoId` is an opaque token: the only handle the renderer ever sends back. */
export interface OpenedVideo {
  videoId: string;
  /** File name, for the title bar. */
  name: string;
  /** Absolute path, shown to the user; never used by the host to find the file again. */
  path: string;
  /** Where the player fetches the video (a `longview-media:` URL in Electron, `/media/…` in a browser). */
  mediaUrl: string;
  info: VideoInfo;
}

export interface RecentVideo {
  path: string;
  name: string;
  /** ISO 8601. */
  openedAt: string;
  /** The file is still there (checked when listed). */
  exists: boolean;
}

/** A model the analysis panel offers. */
export interface ModelChoice {
  /** What `startAnalysis` takes: a Hub id for cached Hub models, else a path. */
  reference: string;
  title: string;
  path: string;
  license: string;
  preset: InputPreset | null;
  classes: number | null;
  /** Set when the model cannot be used (moved, damaged): shown, not hidden. */
  problem: string | null;
  /** The bundled demo model, chosen when the user has not picked one. */
  isDefault: boolean;
}

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface AnalysisOptions {
  videoId: string;
  /** A `ModelChoice.reference`. */
  model: string;
  /** Overrides of the model's preset; absent means the preset. */
  windowFrames?: number | undefined;
  frameStride?: number | undefined;
  windowStrideSeconds?: number | undefined;
  backend: BackendChoice;
  /** false: recompute from scratch instead of resuming from the analysis store. */
  resume: boolean;
}

/** Everything the UI draws of one analysis; also what `getAnalysis` returns for a finished one. */
export interface AnalysisSnapshot {
  analysisId: string;
  videoId: string;
  model: { id: string; license: string; labels: string[] };
  sampling: SamplingParams;
  backend: string;
  windows: WindowResult[];
  segmentation: SegmentationParams;
  segments: Segment[];
  complete: boolean;
  partialReason: string | null;
}

/** An error as it crosses a process boundary: a `LongviewError` without its stack. */
export interface ApiError {
  kind: ErrorKind;
  reason: string;
  message: string;
}

/** What one analysis job reports, in order: started → events … → completed | failed | cancelled. */
export type AnalysisUpdate = { jobId: string } & (
  | { type: 'started'; analysisId: string; videoId: string; model: { id: string; license: string; labels: string[] } }
  /** The engine's own event stream (probed, plan, loaded, layer, window, decoded, finished). */
  | { type: 'event'; event: AnalysisEvent }
  /** Segments recomputed from the windows so far, after every window: the timeline fills in live. */
  | { type: 'segments'; segments: Segment[] }
  | { type: 'completed'; snapshot: AnalysisSnapshot }
  | { type: 'failed'; error: ApiError }
  | { type: 'cancelled' }
);

/** A segment as the user edited it; `id` is stable across edits (for selection and undo). */
export interface EditedSegment {
  id: string;
  startSeconds: number;
  endSeconds: number;
  label: string;
  /** Index into the model's labels. */
  labelIndex: number;
  /** The model's confidence; kept after a relabel so review order still means something. */
  confidence: number;
  /** 'model': as segmented; 'edited': the user changed it. */
  origin: 'model' | 'edited';
}

/** Saved edits of one video, keyed by the video's identity (not its path): a moved file keeps its edits. */
export interface SavedEdits {
  version: 1;
  /** The analysis they were made on (model id + sampling), so a different model's edits are not mixed in. */
  analysisKey: string;
  segments: EditedSegment[];
  /** ISO 8601. */
  savedAt: string;
}

export type ExportFormatName = 'json' | 'csv' | 'vtt' | 'srt' | 'eaf';

export interface ExportRequest {
  analysisId: string;
  format: ExportFormatName;
  /** The edited segments; the engine fills in frame numbers and alternatives. */
  segments: EditedSegment[];
  /**
   * 'dialog': the host asks where to save and writes the file (atomically, keeping a `.bak`).
   * 'text': the text comes back (a browser downloads it).
   */
  destination: 'dialog' | 'text';
}

export interface ExportResult {
  fileName: string;
  mimeType: string;
  /** Set for destination 'text'. */
  text: string | null;
  /** Where it was written; null for 'text' or when the user cancelled the dialog. */
  savedPath: string | null;
  /** The model's license, shown in the dialog. */
  license: string;
}

export interface Thumbnail {
  /** Seconds on the video's clock. */
  time: number;
  /** JPEG bytes. */
  jpeg: Uint8Array;
}

export interface Settings {
  segmentation: SegmentationParams;
  heatmap: { visible: boolean; opacity: number };
  /** A `ModelChoice.reference`, or null for the default model. */
  model: string | null;
  backend: BackendChoice;
}

export type EngineStatus =
  | { state: 'running' }
  /** The engine process exited unexpectedly; nothing saved is lost, `restartEngine` brings it back. */
  | { state: 'crashed'; message: string }
  | { state: 'restarting' };

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

/** Request name → its request and response. */
export interface ApiRequests {
  getEnvironment: { request: Record<string, never>; response: EnvironmentInfo };
  /** Open a file the user named (drag and drop, recent list, a typed path). */
  openVideo: { request: { path: string }; response: OpenedVideo };
  /** Native open dialog; null when cancelled. Browser hosts answer with a usage error. */
  chooseVideo: { request: Record<string, never>; response: OpenedVideo | null };
  /** Videos opened by the host before the UI asked (command line). */
  startupVideos: { request: Record<string, never>; response: OpenedVideo[] };
  recentVideos: { request: Record<string, never>; response: RecentVideo[] };
  listModels: { request: Record<string, never>; response: ModelChoice[] };
  /** Starts a job; its progress arrives through `onAnalysisUpdate`. */
  startAnalysis: { request: AnalysisOptions; response: { jobId: string } };
  cancelAnalysis: { request: { jobId: string }; response: { cancelled: boolean } };
  /** The finished analysis the store holds for these options, without running the model; null when there is none. */
  getAnalysis: { request: Omit<AnalysisOptions, 'backend' | 'resume'>; response: AnalysisSnapshot | null };
  /** Re-segments stored scores: milliseconds, never the model. */
  resegment: { request: { analysisId: string; segmentation: SegmentationParams }; response: Segment[] };
  exportAnalysis: { request: ExportRequest; response: ExportResult };
  loadEdits: { request: { videoId: string }; response: SavedEdits | null };
  saveEdits: { request: { videoId: string; edits: SavedEdits }; response: { savedAt: string } };
  /** JPEG thumbnails at the given times (at most 64 per call), `height` pixels tall. */
  thumbnails: { request: { videoId: string; times: number[]; height: number }; response: Thumbnail[] };
  getSettings: { request: Record<string, never>; response: Settings };
  setSettings: { request: Settings; response: Settings };
  restartEngine: { request: Record<string, never>; response: EngineStatus };
}

/** Event name → its payload. */
export interface ApiEvents {
  analysisUpdate: AnalysisUpdate;
  /** The host opened a video (menu, dialog, command line, second instance). */
  videoOpened: OpenedVideo;
  engineStatus: EngineStatus;
}

export type RequestName = keyof ApiRequests;
export type EventName = keyof ApiEvents;
export type RequestOf<K extends RequestName> = ApiRequests[K]['request'];
export type ResponseOf<K extends RequestName> = ApiRequests[K]['response'];
export type Unsubscribe = () => void;

/** `on` + event name with a capital, e.g. `onAnalysisUpdate`. */
export type SubscriptionName<K extends EventName> = `on${Capitalize<K>}`;

/** What the renderer holds: `window.longview` in Electron, a WebSocket client in a browser. */
export type LongviewApi = { [K in RequestName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> } & {
  [K in EventName as SubscriptionName<K>]: (listener: (payload: ApiEvents[K]) => void) => Unsubscribe;
};

/** Every request name, at run time; `satisfies` makes a missing or extra name a compile error. */
const REQUEST_TABLE = {
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

const EVENT_TABLE = { analysisUpdate: true, videoOpened: true, engineStatus: true } as const satisfies Record<EventName, true>;

export const REQUEST_NAMES = Object.keys(REQUEST_TABLE) as RequestName[];
export const EVENT_NAMES = Object.keys(EVENT_TABLE) as EventName[];

export function isRequestName(value: unknown): value is RequestName {
  return typeof value === 'string' && Object.hasOwn(REQUEST_TABLE, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(EVENT_TABLE, value);
}

export function subscriptionName<K extends EventName>(event: K): SubscriptionName<K> {
  return `on${event[0]!.toUpperCase()}${event.slice(1)}` as SubscriptionName<K>;
}

// ---------------------------------------------------------------------------------------------
// Messages between processes (utility process ⇄ main, server ⇄ browser)
// ---------------------------------------------------------------------------------------------

export type ClientMessage = { type: 'request'; id: number; method: RequestName; request: unknown };

export type ServerMessage =
  | { type: 'response'; id: number; ok: true; response: unknown }
  | { type: 'response'; id: number; ok: false; error: ApiError }
  | { type: 'event'; event: EventName; payload: unknown };
