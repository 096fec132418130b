/**
 * Decodes a video into the model's frames: square RGB pictures at the sampling rate, each with
 * the decoder's own timestamp. The I/O edge of decoding; the pure parts are the argument builder
 * (decode-arguments.ts), the showinfo reader, the frame assembler and the end verdict.
 *
 * Memory stays bounded whatever the video's length: when the caller does not pull, stdout is
 * paused once a few frames are waiting, ffmpeg blocks on the full pipe, and the stall watchdog is
 * held meanwhile (a slow consumer is not a hung decoder). Every way out (end, error, abort,
 * break, cancel) ends with ffmpeg killed if needed and reaped before `done` settles.
 */
import type { VideoInfo } from '../shared/analysis.js';
import { LongviewError } from '../shared/errors.js';
import { cancelledError } from '../shared/cancellation.js';
import { decodeArguments } from './decode-arguments.js';
import type { DecodedFrame, DecodeOptions, DecodeSummary, FrameStream } from './decode-types.js';
import { isDamageLine, judgeDecode } from './decode-verdict.js';
import { FrameAssembler } from './frame-assembler.js';
import { checkInputFile } from './input-file.js';
import { DEFAULT_STALL_TIMEOUT_MS } from './limits.js';
import { parseShowinfoLine } from './showinfo.js';
import { superviseProcess, type SupervisedProcess } from './supervised-process.js';

export type { DecodedFrame, DecodeOptions, DecodeSummary, FrameStream } from './decode-types.js';

/** Whole frames waiting for the caller before stdout is paused (each imageSize²·3 bytes). */
const MAX_BUFFERED_FRAMES = 3;

/** Damage lines remembered over a whole run, for the verdict and the warnings. */
const MAX_DAMAGE_LINES = 20;

/** `-progress` key=value lines and the final stats line: a heartbeat, not news. */
const PROGRESS_LINE = /^[a-z0-9_]+=/i;

/**
 * Starts ffmpeg on `path` and returns the stream of its frames. Never throws: bad options, a
 * missing file or an aborted signal make a stream whose frames and `done` fail with the error.
 */
export function decodeFrames(path: string, info: VideoInfo, options: DecodeOptions): FrameStream {
  try {
    checkDecodeOptions(options);
    if (options.signal?.aborted) throw cancelledError(`Decoding ${path}`, options.signal.reason);
    return new FrameDecoding(path, info, options).stream();
  } catch (error) {
    return failedStream(error);
  }
}

interface Waiter {
  resolve: (result: IteratorResult<DecodedFrame>) => void;
  reject: (error: unknown) => void;
}

type Ending = { summary: DecodeSummary } | { error: unknown };

class FrameDecoding {
  private readonly absolutePath: string;
  private readonly assembler: FrameAssembler;
  private readonly child: SupervisedProcess;
  private readonly waiters: Waiter[] = [];
  private readonly damageLines: string[] = [];
  private paused = false;
  /** The caller broke out of its loop or called cancel(): no more frames are handed out. */
  private stopped = false;
  /** Set once ffmpeg is reaped and judged. */
  private ending: Ending | undefined;
  /** A broken frame pairing found while reading output; it ends the decode. */
  private fault: unknown;
  private readonly done: Promise<DecodeSummary>;

  constructor(
    path: string,
    info: VideoInfo,
    private readonly options: DecodeOptions,
  ) {
    const file = checkInputFile(path);
    this.absolutePath = file.absolutePath;
    const firstFrame = options.firstFrame ?? 0;
    const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    this.assembler = new FrameAssembler(options.imageSize * options.imageSize * 3, options.frameStride);
    this.child = superviseProcess(options.tools.ffmpeg.path, decodeArguments(file.absolutePath, options), {
      signal: options.signal,
      stallTimeoutMs,
      onStderrLine: (line) => this.onStderrLine(line),
      keepInTail: (line) => !line.startsWith('[Parsed_showinfo') && !PROGRESS_LINE.test(line),
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.pump(() => this.assembler.pushBytes(chunk)));

    this.done = this.child.finished.then((outcome) => {
      if (this.fault !== undefined) throw this.fault;
      return judgeDecode(
        {
          ...outcome,
          framesDelivered: this.assembler.completeFrames,
          lastFrameSeconds: this.assembler.lastCompleteSeconds,
          damageLines: this.damageLines,
          ...this.assembler.leftovers(),
        },
        {
          path: file.absolutePath,
          ffmpegPath: options.tools.ffmpeg.path,
          durationSeconds: info.videoDurationSeconds ?? info.durationSeconds,
          samplePeriodSeconds: options.frameStride / options.samplingFps,
          firstFrame,
          looksLikeMp4: file.looksLikeMp4,
          abortReason: options.signal?.reason,
          stallTimeoutMs,
        },
      );
    });
    this.done.then(
      (summary) => this.finish({ summary }),
      (error: unknown) => this.finish({ error }),
    );
  }

  stream(): FrameStream {
    const iterator: AsyncIterableIterator<DecodedFrame> = {
      next: () => this.next(),
      return: async () => {
        this.stop();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return { frames: () => iterator, done: this.done, cancel: () => this.stop() };
  }

  private stop(): void {
    this.stopped = true;
    this.child.kill('stopped');
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
  }

  private next(): Promise<IteratorResult<DecodedFrame>> {
    if (this.stopped) return Promise.resolve({ done: true, value: undefined });
    const signal = this.options.signal;
    if (signal?.aborted) {
      // An aborted run ends now, not after the frames already buffered; it fails even if
      // ffmpeg happened to finish first.
      this.child.kill('aborted');
      return this.done.then(() => Promise.reject(cancelledError(`Decoding ${this.absolutePath}`, signal.reason)));
    }
    const frame = this.take();
    this.applyBackpressure();
    if (frame !== undefined) return Promise.resolve({ done: false, value: frame });
    if (this.ending !== undefined) return 'error' in this.ending ? Promise.reject(this.ending.error) : Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private onStderrLine(line: string): void {
    const time = parseShowinfoLine(line);
    if (time !== undefined) this.pump(() => this.assembler.pushTime(time));
    else if (this.damageLines.length < MAX_DAMAGE_LINES && isDamageLine(line)) this.damageLines.push(line);
  }

  /**
   * Feeds the assembler, hands ready frames to waiting callers, then pauses or resumes stdout. A
   * broken pairing is recorded as the fault and ends the decode.
   */
  private pump(feed: () => void): void {
    if (this.fault !== undefined) return;
    try {
      feed();
    } catch (error) {
      this.fault = error;
      this.child.kill('stopped');
      return;
    }
    while (this.waiters.length > 0) {
      const frame = this.take();
      if (frame === undefined) break;
      this.waiters.shift()?.resolve({ done: false, value: frame });
    }
    this.applyBackpressure();
  }

  /** The next complete frame; none once a fault has ended the decode. */
  private take(): DecodedFrame | undefined {
    return this.fault === undefined ? this.assembler.take() : undefined;
  }

  private applyBackpressure(): void {
    const full = this.assembler.bufferedFrames >= MAX_BUFFERED_FRAMES;
    if (full === this.paused) return;
    this.paused = full;
    this.child.holdWatchdog(full);
    if (full) this.child.stdout.pause();
    else this.child.stdout.resume();
  }

  private finish(ending: Ending): void {
    this.ending = ending;
    if ('error' in ending) {
      // A failed run ends with its error, not with the frames still buffered.
      while (this.take() !== undefined);
    }
    for (const waiter of this.waiters.splice(0)) {
      if ('error' in ending) waiter.reject(ending.error);
      else waiter.resolve({ done: true, value: undefined });
    }
  }
}

function checkDecodeOptions(options: DecodeOptions): void {
  const problems: string[] = [];
  if (!(Number.isFinite(options.samplingFps) && options.samplingFps > 0 && options.samplingFps <= 1000)) {
    problems.push('the sampling rate must be above 0 and at most 1000 frames per second');
  }
  if (!(Number.isSafeInteger(options.frameStride) && options.frameStride >= 1)) problems.push('the frame stride must be a whole number of at least 1');
  if (!(Number.isSafeInteger(options.imageSize) && options.imageSize >= 1 && options.imageSize <= 4096)) {
    problems.push('the image size must be a whole number of pixels from 1 to 4096');
  }
  const firstFrame = options.firstFrame ?? 0;
  if (!(Number.isSafeInteger(firstFrame) && firstFrame >= 0)) problems.push('the first frame must be a whole number of at least 0');
  if (problems.length > 0) throw new LongviewError('usage', 'bad-sampling', `Cannot decode with these settings: ${problems.join('; ')}.`);
}

/** A stream that fails before ffmpeg starts: no frames, and `done` rejects with the same error. */
function failedStream(error: unknown): FrameStream {
  const done = Promise.reject(error);
  done.catch(() => undefined);
  const iterator: AsyncIterableIterator<DecodedFrame> = {
    next: () => Promise.reject(error),
    return: async () => ({ done: true, value: undefined }),
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return { frames: () => iterator, done, cancel: () => undefined };
}
