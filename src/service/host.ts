/**
 * The host side of the API, shared by Electron's main process and `longview serve`: it checks
 * every request (request-validation.ts), does what only a host can (grant file access, show
 * dialogs, make media URLs, write files the user chose) and passes everything else to the engine,
 * which may live in this process (serve) or in another one (Electron's utility process).
 */
import { resolve } from 'node:path';
import type { EngineStatus, EnvironmentInfo, ExportResult, OpenedVideo, RequestName } from '../shared/api.js';
import { isRequestName } from '../shared/api.js';
import { LongviewError, UsageError } from '../shared/errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { EngineRequestName, EngineRequestOf, EngineResponseOf } from './engine-types.js';
import { validateRequest } from './request-validation.js';
import type { VideoAccess } from './video-access.js';

export interface EngineCaller {
  call(method: string, request: unknown): Promise<unknown>;
}

export interface HostDialogs {
  /** The path the user chose, or null when they cancelled. */
  chooseVideo(): Promise<string | null>;
  chooseSavePath(fileName: string): Promise<string | null>;
}

export interface HostOptions {
  engine: EngineCaller;
  access: VideoAccess;
  /** Where the player fetches a granted video. */
  mediaUrl(videoId: string): string;
  host: 'electron' | 'browser';
  /** Native dialogs; absent in a browser, which asks for a typed path instead. */
  dialogs?: HostDialogs | undefined;
  /** Restarts an engine in another process; an in-process engine is always running. */
  restartEngine?: (() => Promise<EngineStatus>) | undefined;
}

export interface Host {
  /** Any request of the API, unchecked: it is validated here before anything else. */
  handle(method: string, request: unknown): Promise<unknown>;
  /** Opens a video the host was given (command line, second instance) and lists it in startupVideos. */
  openAtStartup(path: string): Promise<OpenedVideo>;
}

/** Requests that name a video: its grant is re-checked before the engine sees the id. */
const VIDEO_REQUESTS: ReadonlySet<RequestName> = new Set(['startAnalysis', 'getAnalysis', 'loadEdits', 'saveEdits', 'thumbnails']);

export function createHost(options: HostOptions): Host {
  const startup: OpenedVideo[] = [];
  const call = async <K extends EngineRequestName>(method: K, request: EngineRequestOf<K>): Promise<EngineResponseOf<K>> => (await options.engine.call(method, request)) as EngineResponseOf<K>;

  const open = async (path: string): Promise<OpenedVideo> => {
    const videoId = await options.access.grant(resolve(path));
    const realPath = await options.access.resolve(videoId);
    const opened = await call('openVideo', { path: realPath, videoId });
    return { ...opened, mediaUrl: options.mediaUrl(videoId) };
  };

  const exportToFile = async (request: EngineRequestOf<'exportAnalysis'>): Promise<ExportResult> => {
    const exported = await call('exportAnalysis', { ...request, destination: 'text' });
    if (options.dialogs === undefined) throw new UsageError('Saving to a chosen file is not available in a browser; export as a download instead.');
    const path = await options.dialogs.chooseSavePath(exported.fileName);
    if (path === null) return { ...exported, text: null, savedPath: null };
    writeFileAtomic(path, exported.text ?? '', { keepBackup: true });
    return { ...exported, text: null, savedPath: path };
  };

  return {
    async handle(method, request) {
      if (!isRequestName(method)) throw new UsageError(`There is no request named ${JSON.stringify(String(method).slice(0, 40))}.`);
      const checked = validateRequest(method, request);
      switch (method) {
        case 'openVideo':
          return open((checked as { path: string }).path);
        case 'chooseVideo': {
          if (options.dialogs === undefined) throw new LongviewError('usage', 'not-available', 'There is no file dialog in a browser: type the path of the video instead.');
          const path = await options.dialogs.chooseVideo();
          return path === null ? null : open(path);
        }
        case 'startupVideos':
          return [...startup];
        case 'restartEngine':
          return options.restartEngine === undefined ? ({ state: 'running' } satisfies EngineStatus) : options.restartEngine();
        case 'getEnvironment': {
          const environment = await call('getEnvironment', {});
          return { ...environment, host: options.host, canChooseFiles: options.dialogs !== undefined } satisfies EnvironmentInfo;
        }
        case 'exportAnalysis': {
          const exportRequest = checked as EngineRequestOf<'exportAnalysis'>;
          return exportRequest.destination === 'dialog' ? exportToFile(exportRequest) : call('exportAnalysis', exportRequest);
        }
        default:
          if (VIDEO_REQUESTS.has(method)) await options.access.identify((checked as { videoId: string }).videoId);
          return options.engine.call(method, checked);
      }
    },
    async openAtStartup(path) {
      const opened = await open(path);
      startup.push(opened);
      return opened;
    },
  };
}
