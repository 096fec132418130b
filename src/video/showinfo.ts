/**
 * Reads the per-frame line ffmpeg's `showinfo` filter logs, which is how the decoder learns each
 * output frame's timestamp, plus a checksum of the frame's bytes that proves which bytes the
 * timestamp belongs to. Pure.
 *
 * A line looks like
 *   [Parsed_showinfo_4 @ 0x55d37a83ec00] n:   7 pts:      7 pts_time:0.7     pos: 3241 fmt:rgb24 …
 * (ffmpeg 6 and later insert "duration:" fields after pts_time). Only lines that start with the
 * filter's own log prefix count: ffmpeg also echoes file metadata to stderr, and a title crafted
 * to look like a showinfo line must not move a frame in time.
 */

export interface ShowinfoFrame {
  /** Output frame number, from 0. */
  n: number;
  /** Presentation time in the filter's time base (after the fps filter: the slot, in units of 1/F). */
  pts: number;
  /** Presentation time, seconds. */
  ptsSeconds: number;
  /** Adler-32 (started at 0) over the frame's bytes, when the line carries one. */
  checksum?: number;
}

const CHECKSUM = / checksum:([0-9A-F]{8})(?:\s|$)/i;

const SHOWINFO_LINE = /^\[Parsed_showinfo_\d+ @ (?:0x)?[0-9a-f]+\] n:\s*(\d+) pts:\s*(-?\d+) pts_time:(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?:\s|$)/i;

/** The frame a showinfo line describes, or undefined for any other line (including frames without a timestamp). */
export function parseShowinfoLine(line: string): ShowinfoFrame | undefined {
  const match = SHOWINFO_LINE.exec(line);
  if (match === null) return undefined;
  const n = Number(match[1]);
  const pts = Number(match[2]);
  const ptsSeconds = Number(match[3]);
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(pts) || !Number.isFinite(ptsSeconds)) return undefined;
  const checksum = CHECKSUM.exec(line.slice(match[0].length - 1));
  return checksum === null ? { n, pts, ptsSeconds } : { n, pts, ptsSeconds, checksum: Number.parseInt(checksum[1] ?? '', 16) };
}
