/**
 * JPEG thumbnails for the timeline: one ffmpeg run per picture, at most two at a time (the engine
 * also decodes for the model), remembered in memory by (video, time, height) so scrolling back and
 * forth costs nothing. A time past the end of the video yields no picture and is left out of the
 * answer rather than failing the whole call.
 */
import type { Thumbnail } from '../shared/api.js';
import { LongviewError } from '../shared/errors.js';
import { superviseProcess } from '../video/supervised-process.js';
import type { FfmpegTools } from '../video/tools.js';
import { thumbnailArguments } from './thumbnail-arguments.js';

/** ffmpeg runs at once; two keep the timeline responsive without starving an analysis. */
const CONCURRENCY = 2;
/** Pictures remembered; at ~5 KB each (90 px tall) about 10 MB. */
const CACHE_ENTRIES = 2048;
/** A seek and one decoded frame take well under a second; far longer means a pathological file. */
const TIMEOUT_MS = 20_000;
/** A 1080-pixel-tall JPEG is well under this. */
const MAXIMUM_JPEG_BYTES = 16 * 1024 * 1024;

export class ThumbnailMaker {
  readonly #tools: FfmpegTools;
  readonly #cache = new Map<string, Uint8Array | null>();
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(tools: FfmpegTools) {
    this.#tools = tools;
  }

  /** Pictures for `times` (seconds) of the video `path`, `height` pixels tall, in the order asked. */
  async thumbnails(videoId: string, path: string, times: readonly number[], height: number, signal?: AbortSignal): Promise<Thumbnail[]> {
    const pictures = await Promise.all(times.map((time) => this.#picture(videoId, path, time, height, signal)));
    const result: Thumbnail[] = [];
    pictures.forEach((jpeg, index) => {
      if (jpeg !== null) result.push({ time: times[index]!, jpeg });
    });
    return result;
  }

  async #picture(videoId: string, path: string, time: number, height: number, signal: AbortSignal | undefined): Promise<Uint8Array | null> {
    const key = `${videoId}\n${time}\n${height}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    await this.#slot();
    try {
      const jpeg = await this.#run(path, time, height, signal);
      this.#remember(key, jpeg);
      return jpeg;
    } finally {
      this.#release();
    }
  }

  async #run(path: string, time: number, height: number, signal: AbortSignal | undefined): Promise<Uint8Array | null> {
    const child = superviseProcess(this.#tools.ffmpeg.path, thumbnailArguments(path, time, height), { timeoutMs: TIMEOUT_MS, ...(signal === undefined ? {} : { signal }) });
    const chunks: Buffer[] = [];
    let received = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAXIMUM_JPEG_BYTES) child.kill('stopped');
      else chunks.push(chunk);
    });
    const outcome = await child.finished;
    if (outcome.spawnError !== null) {
      throw new LongviewError('backend', 'no-ffmpeg', `ffmpeg (${this.#tools.ffmpeg.path}) could not be started: ${outcome.spawnError.message}; reinstall FFmpeg or set FFMPEG_PATH.`);
    }
    if (outcome.killedBecause === 'aborted') throw new LongviewError('usage', 'cancelled', 'Making thumbnails was cancelled.');
    if (outcome.killedBecause !== null || outcome.exitCode !== 0) {
      const detail = outcome.stderrTail.at(-1) ?? (outcome.killedBecause === null ? `exit code ${outcome.exitCode}` : `it was stopped (${outcome.killedBecause})`);
      throw new LongviewError('input', 'thumbnail-failed', `No thumbnail at ${time} s of ${path}: ${detail}`);
    }
    return received === 0 ? null : new Uint8Array(Buffer.concat(chunks));
  }

  /** Oldest out first: Map keeps insertion order. */
  #remember(key: string, jpeg: Uint8Array | null): void {
    this.#cache.set(key, jpeg);
    if (this.#cache.size > CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value!);
  }

  async #slot(): Promise<void> {
    if (this.#running < CONCURRENCY) {
      this.#running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiter, or frees it. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#running -= 1;
    else next();
  }
}
