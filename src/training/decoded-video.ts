/**
 * A whole (short) training video decoded once, the way analysis decodes it (probeVideo +
 * decodeFrames: same resize, crop and sampling), kept as bytes: S×S×3 RGB per sampled frame.
 * Training videos are minutes long at 64 px, ~12 KB a frame, so holding them is cheap.
 */
import { LongviewError } from '../shared/errors.js';
import { decodeFrames } from '../video/decoder.js';
import { probeVideo } from '../video/probe.js';
import { locateTools, type FfmpegTools } from '../video/tools.js';

export interface DecodedVideo {
  /** frameCount × imageSize × imageSize × 3 bytes, [F, H, W, C]. */
  pixels: Uint8Array;
  frameCount: number;
  imageSize: number;
  /** Decoder timestamp of each sampled frame, seconds. */
  seconds: Float64Array;
}

export interface DecodeVideoOptions {
  imageSize: number;
  samplingFps: number;
  frameStride: number;
  tools?: FfmpegTools;
}

export async function decodeWholeVideo(path: string, options: DecodeVideoOptions): Promise<DecodedVideo> {
  const tools = options.tools ?? locateTools();
  const info = await probeVideo(path, { tools });
  const stream = decodeFrames(path, info, { tools, samplingFps: options.samplingFps, frameStride: options.frameStride, imageSize: options.imageSize });
  const frameBytes = options.imageSize * options.imageSize * 3;
  const expected = Math.ceil((info.durationSeconds * options.samplingFps) / options.frameStride) + 2;
  let pixels = new Uint8Array(Math.max(1, expected) * frameBytes);
  let seconds = new Float64Array(Math.max(1, expected));
  let count = 0;
  for await (const frame of stream.frames()) {
    if (frame.index !== count) throw new LongviewError('input', 'bad-frames', `${path}: sampled frame ${frame.index} arrived where ${count} was expected (a training video must decode without gaps)`);
    if ((count + 1) * frameBytes > pixels.length) {
      const grown = new Uint8Array(pixels.length * 2);
      grown.set(pixels);
      pixels = grown;
      const grownSeconds = new Float64Array(seconds.length * 2);
      grownSeconds.set(seconds);
      seconds = grownSeconds;
    }
    pixels.set(frame.rgb, count * frameBytes);
    seconds[count] = frame.seconds;
    count += 1;
  }
  const summary = await stream.done;
  if (summary.partial) throw new LongviewError('input', 'partial-video', `${path}: ${summary.partialReason ?? 'decoded only in part'}`);
  return { pixels: pixels.subarray(0, count * frameBytes), frameCount: count, imageSize: options.imageSize, seconds: seconds.subarray(0, count) };
}
