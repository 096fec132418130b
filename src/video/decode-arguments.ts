/**
 * The ffmpeg command line that decodes a video into the model's frames. Pure.
 *
 * Filter chain, in order (ffmpeg's autorotation runs before it, so pictures arrive upright):
 *   fps=F                      resample to the sampling rate by timestamp (duplicates or drops);
 *                              its output timestamps are slot numbers in units of 1/F
 *   select=…                   keep slots that are multiples of the stride, from the resume point on
 *   scale=…                    short side (as displayed, pixel aspect included) to imageSize, bilinear
 *   setsar=1,crop=S:S          centre square
 *   format=rgb24               the bytes the caller reads: S·S·3 per frame, HWC, no padding
 *   showinfo                   logs each delivered frame's slot, pts_time and checksum on stderr
 *
 * Selecting by slot rather than by frame count is what makes resuming cheap and exact: a resumed
 * run seeks (to a keyframe a little before the resume point) instead of decoding the whole start
 * of the video in silence, and because `-copyts -start_at_zero` keeps every timestamp on the same
 * clock as a full run, the same slots hold the same pictures. `-noaccurate_seek` passes every
 * frame from that keyframe on to the fps filter, so a slot's picture never depends on where the
 * seek landed.
 *
 * `-fps_mode passthrough` (ffmpeg 5.1+) hands frames to the raw muxer as they are; its default for
 * rawvideo is constant rate, which would re-duplicate the frames select dropped and break the
 * one-line-per-frame pairing with showinfo.
 */
import { demuxerAllowList } from './demuxers.js';
import { MAX_PICTURE_PIXELS, MAX_STREAMS } from './limits.js';

/**
 * A resumed run seeks this far before its first frame, seconds: the fps filter picks each slot's
 * picture from the frames around it, so they must all be decoded, and some demuxers seek
 * imprecisely.
 */
export const RESUME_MARGIN_SECONDS = 2;

export interface DecodeArgumentOptions {
  /** Frames per second the video is resampled to before striding. */
  samplingFps: number;
  /** Keep every frameStride-th resampled frame (≥ 1). */
  frameStride: number;
  /** Side of the square output, pixels. */
  imageSize: number;
  /** Sampled frames to skip from the start (a resumed run), ≥ 0. */
  firstFrame?: number;
  /** Pictures with more pixels than this are refused by the decoder before allocation. */
  maxPixels?: number;
}

/** @param absolutePath the video, already resolved to an absolute path. */
export function decodeArguments(absolutePath: string, options: DecodeArgumentOptions): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    // showinfo logs at "info"; progress blocks every 0.5 s keep the stall watchdog fed while
    // ffmpeg decodes between delivered frames (a long stride over a heavy video).
    '-v', 'info',
    '-progress', 'pipe:2',
    '-protocol_whitelist', 'file',
    '-format_whitelist', demuxerAllowList(),
    '-max_streams', String(MAX_STREAMS),
    '-max_pixels', String(options.maxPixels ?? MAX_PICTURE_PIXELS),
    ...resumeSeek(options),
    // Timestamps from the file's start, the same in full and resumed runs.
    '-copyts', '-start_at_zero',
    '-i', `file:${absolutePath}`,
    // The first video stream that is not cover art; no audio, subtitles or data.
    '-map', '0:V:0',
    '-an', '-sn', '-dn',
    '-vf', samplingFilter(options),
    '-fps_mode', 'passthrough',
    '-f', 'rawvideo',
    '-pix_fmt', 'rgb24',
    'pipe:1',
  ];
}

/** The `-vf` chain; commas inside expressions are escaped for the filtergraph parser. */
export function samplingFilter(options: DecodeArgumentOptions): string {
  const size = options.imageSize;
  // dar is the displayed aspect (width ÷ height × pixel aspect); ceil keeps both sides ≥ size.
  const width = `if(gte(dar\\,1)\\,ceil(${size}*dar)\\,${size})`;
  const height = `if(gte(dar\\,1)\\,${size}\\,ceil(${size}/dar))`;
  return [
    `fps=${options.samplingFps}`,
    `select=${selectExpression(options.frameStride, options.firstFrame ?? 0)}`,
    `scale=w=${width}:h=${height}:flags=bilinear`,
    'setsar=1',
    `crop=${size}:${size}`,
    'format=rgb24',
    'showinfo',
  ].join(',');
}

/**
 * After fps, a frame's pts is its slot (units of 1/F): keep slots from firstFrame's on (never
 * before the start) that are multiples of the stride.
 */
function selectExpression(frameStride: number, firstFrame: number): string {
  const fromStart = `gte(pts\\,${firstFrame * frameStride})`;
  return frameStride > 1 ? `${fromStart}*not(mod(pts\\,${frameStride}))` : fromStart;
}

/** Input options that jump close to a resumed run's first frame; none when it is near the start. */
function resumeSeek(options: DecodeArgumentOptions): string[] {
  const firstSeconds = ((options.firstFrame ?? 0) * options.frameStride) / options.samplingFps;
  const seekSeconds = firstSeconds - RESUME_MARGIN_SECONDS;
  return seekSeconds > 0 ? ['-noaccurate_seek', '-ss', seekSeconds.toFixed(6)] : [];
}
