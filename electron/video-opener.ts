/**
 * Opening videos the host was told about, as opposed to ones the renderer asked for: the command
 * line at start (`host.openAtStartup`, listed by `startupVideos`), a second instance's command
 * line, File ▸ Open and Open Recent, and macOS's open-file (opened and pushed with the
 * `videoOpened` event). Failures are reported to the user, never thrown: nobody awaits these.
 */
import type { OpenedVideo } from '../src/shared/api.js';

export interface VideoOpenerOptions {
  openAtStartup(path: string): Promise<OpenedVideo>;
  open(path: string): Promise<OpenedVideo>;
  announce(video: OpenedVideo): void;
  /** A video that could not be opened: the user named it, so they are told (a dialog in main.ts). */
  reportError(path: string, error: unknown): void;
}

export class VideoOpener {
  readonly #options: VideoOpenerOptions;
  #startup: Promise<void> = Promise.resolve();

  constructor(options: VideoOpenerOptions) {
    this.#options = options;
  }

  /** Opens the videos of the app's own command line, one after another, in order. */
  openAtStartup(paths: readonly string[]): void {
    const previous = this.#startup;
    this.#startup = (async () => {
      await previous;
      for (const path of paths) {
        try {
          await this.#options.openAtStartup(path);
        } catch (error) {
          this.#options.reportError(path, error);
        }
      }
    })();
  }

  /** Resolves once every startup video is open or reported. */
  startupSettled(): Promise<void> {
    return this.#startup;
  }

  async openAndAnnounce(path: string): Promise<void> {
    try {
      this.#options.announce(await this.#options.open(path));
    } catch (error) {
      this.#options.reportError(path, error);
    }
  }
}
