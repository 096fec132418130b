/**
 * Pairs ffmpeg's two outputs into frames: raw RGB bytes arrive on stdout in arbitrary chunks,
 * each frame's timestamp arrives as a showinfo line on stderr, and the two pipes race. A frame is
 * ready only when both its bytes and its timestamp are in.
 *
 * Pairing is by order (the k-th frame of bytes is showinfo's frame n = k) and is checked: showinfo
 * also logs an Adler-32 of the frame, and a mismatch means the pairing broke, which would put
 * frames at the wrong times, so it is an error rather than a guess.
 *
 * A frame's sampled index comes from its timestamp, not from counting: after the fps filter the
 * pts is the slot number, and only multiples of the stride are selected, so index = pts ÷ stride.
 * That keeps indices identical between a full run and a resumed one that started mid-video.
 */
import { LongviewError } from '../shared/errors.js';
import type { DecodedFrame } from './decode-types.js';
import type { ShowinfoFrame } from './showinfo.js';

export class FrameAssembler {
  /** Complete frames of bytes, oldest first, still waiting for their timestamps. */
  private readonly untimed: Uint8Array[] = [];
  private partial: Uint8Array | undefined;
  private partialFilled = 0;
  /** Timestamps by showinfo frame number, for frames whose bytes are not in yet. */
  private readonly times = new Map<number, ShowinfoFrame>();
  /** Paired frames, oldest first, waiting for the caller. */
  private readonly ready: DecodedFrame[] = [];
  /** Frames paired so far: the next bytes belong to showinfo's frame n = paired. */
  private paired = 0;
  private lastSeconds: number | null = null;

  private lastIndex = -1;

  /**
   * @param frameBytes bytes per frame (imageSize² · 3), never derived from the probed size.
   * @param frameStride slots per sampled frame: index = pts ÷ frameStride.
   */
  constructor(
    private readonly frameBytes: number,
    private readonly frameStride: number,
  ) {}

  /** Throws LongviewError('internal', 'frame-mismatch') when a completed pair fails its checksum. */
  pushBytes(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      this.partial ??= new Uint8Array(this.frameBytes);
      const count = Math.min(this.frameBytes - this.partialFilled, chunk.length - offset);
      this.partial.set(chunk.subarray(offset, offset + count), this.partialFilled);
      this.partialFilled += count;
      offset += count;
      if (this.partialFilled === this.frameBytes) {
        this.untimed.push(this.partial);
        this.partial = undefined;
        this.partialFilled = 0;
      }
    }
    this.pair();
  }

  /** Throws like pushBytes. */
  pushTime(frame: ShowinfoFrame): void {
    // Frames already paired cannot be re-timed; a repeated number is ignored.
    if (frame.n >= this.paired && !this.times.has(frame.n)) this.times.set(frame.n, frame);
    this.pair();
  }

  /** The next frame whose bytes and timestamp are both known, or undefined. */
  take(): DecodedFrame | undefined {
    return this.ready.shift();
  }

  /** Whole frames held (paired or not), which backpressure watches. */
  get bufferedFrames(): number {
    return this.ready.length + this.untimed.length;
  }

  /** Frames complete (bytes and timestamp), whether handed out yet or not. */
  get completeFrames(): number {
    return this.paired;
  }

  /** Timestamp of the last complete frame, seconds; null before the first. */
  get lastCompleteSeconds(): number | null {
    return this.lastSeconds;
  }

  /** What cannot be paired once the output has ended: frames without a timestamp, and bytes short of a frame. */
  leftovers(): { framesWithoutTime: number; trailingBytes: number } {
    return { framesWithoutTime: this.untimed.length, trailingBytes: this.partialFilled };
  }

  private pair(): void {
    for (;;) {
      const rgb = this.untimed[0];
      const time = this.times.get(this.paired);
      if (rgb === undefined || time === undefined) return;
      if (time.checksum !== undefined && adler32(rgb) !== time.checksum) {
        throw mismatch(`ffmpeg's frame ${time.n} does not match the bytes received for it`);
      }
      const index = time.pts / this.frameStride;
      if (!Number.isSafeInteger(index) || index <= this.lastIndex) {
        throw mismatch(`ffmpeg's frame ${time.n} has timestamp ${time.pts}, which is not the next slot on the sampling grid`);
      }
      this.untimed.shift();
      this.times.delete(this.paired);
      this.paired += 1;
      this.lastIndex = index;
      this.lastSeconds = time.ptsSeconds;
      this.ready.push({ index, seconds: time.ptsSeconds, rgb });
    }
  }
}

function mismatch(what: string): LongviewError {
  return new LongviewError('internal', 'frame-mismatch', `${what}, so frame times cannot be trusted; please report this with the ffmpeg version.`);
}

/** Adler-32 as ffmpeg's showinfo computes it: started from 0, not the usual 1. */
export function adler32(bytes: Uint8Array): number {
  const modulus = 65521;
  // zlib's NMAX: reducing every 5552 bytes keeps the sums small exact integers.
  const blockLength = 5552;
  let low = 0;
  let high = 0;
  for (let start = 0; start < bytes.length; start += blockLength) {
    const end = Math.min(start + blockLength, bytes.length);
    for (let position = start; position < end; position++) {
      low += bytes[position]!;
      high += low;
    }
    low %= modulus;
    high %= modulus;
  }
  return ((high << 16) | low) >>> 0;
}
