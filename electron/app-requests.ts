/**
 * What the Electron shell adds around the shared host (src/service/host.ts):
 * - `startupVideos` waits until the command line's videos are probed, so a renderer that asks
 *   early still gets them;
 * - it remembers which videos this window opened, so that after `restartEngine` the fresh
 *   engine process is told about them again (the engine keeps opened videos in memory) and the
 *   UI goes on where it was.
 */
import type { EngineStatus, OpenedVideo } from '../src/shared/api.js';

export interface AppRequestsOptions {
  host: { handle(method: string, request: unknown): Promise<unknown> };
  /** Resolves when the startup videos have been opened (or failed). */
  startupSettled(): Promise<void>;
}

export interface AppRequests {
  handle(method: string, request: unknown): Promise<unknown>;
  /** A video opened past `handle` (host.openAtStartup). */
  noteOpened(video: OpenedVideo): void;
  /** Video ids opened so far, oldest first. */
  openedVideoIds(): string[];
}

export function createAppRequests(options: AppRequestsOptions): AppRequests {
  const opened = new Set<string>();
  const noteOpened = (response: unknown): void => {
    const videoId = response !== null && typeof response === 'object' ? (response as Partial<OpenedVideo>).videoId : undefined;
    if (typeof videoId === 'string') opened.add(videoId);
  };
  return {
    async handle(method, request) {
      if (method === 'startupVideos') await options.startupSettled();
      const response = await options.host.handle(method, request);
      if (method === 'openVideo' || method === 'chooseVideo') noteOpened(response);
      return response;
    },
    noteOpened,
    openedVideoIds: () => [...opened],
  };
}

export interface ReopenOptions {
  engine: { call(method: string, request: unknown): Promise<unknown>; restart(): Promise<EngineStatus> };
  /** The granted path of a video id, re-checked now (VideoAccess.resolve). */
  resolveVideo(videoId: string): Promise<string>;
  videoIds: readonly string[];
}

/**
 * Restarts the engine, then opens every video again under its old id. A video that moved or
 * changed meanwhile is skipped: requests for it then fail with the engine's unknown-video error,
 * which tells the user to open the file again.
 */
export async function restartAndReopen(options: ReopenOptions): Promise<EngineStatus> {
  const status = await options.engine.restart();
  if (status.state !== 'running') return status;
  for (const videoId of options.videoIds) {
    try {
      await options.engine.call('openVideo', { path: await options.resolveVideo(videoId), videoId });
    } catch {
      // Skipped, see above.
    }
  }
  return status;
}
