/**
 * The ffmpeg command line for one thumbnail. Pure. One fast (keyframe-then-decode) input seek per
 * picture: `-ss` before `-i` jumps near the time instead of decoding from the start, which keeps a
 * thumbnail at hour 2 as cheap as one at second 2. The same fences as analysis decoding: the
 * `file` protocol only, the demuxer allow-list, bounded streams and picture size.
 */
import { demuxerAllowList } from '../video/demuxers.js';
import { MAX_PICTURE_PIXELS, MAX_STREAMS } from '../video/limits.js';

/** @param absolutePath the granted video; @param seconds where to take the picture; @param height pixels. */
export function thumbnailArguments(absolutePath: string, seconds: number, height: number): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-v', 'error',
    '-protocol_whitelist', 'file',
    '-format_whitelist', demuxerAllowList(),
    '-max_streams', String(MAX_STREAMS),
    '-max_pixels', String(MAX_PICTURE_PIXELS),
    '-ss', seconds.toFixed(3),
    '-i', `file:${absolutePath}`,
    '-map', '0:V:0',
    '-an', '-sn', '-dn',
    '-frames:v', '1',
    // -2: the width that keeps the aspect, rounded to an even number (JPEG's chroma needs it).
    '-vf', `scale=-2:${height}`,
    '-f', 'image2pipe',
    '-c:v', 'mjpeg',
    'pipe:1',
  ];
}
