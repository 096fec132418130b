/**
 * The HTTP `Range` header (RFC 9110 §14) as far as a video player needs it. Pure.
 *
 * `bytes=a-b`, `bytes=a-` and `bytes=-n` are understood. A header that asks for several ranges is
 * answered with its first range only (players ask for one; a multipart/byteranges body would only
 * add parsing surface). A header that is not a byte range at all, or is malformed, is ignored, so
 * the whole file is sent, as the RFC says a server may.
 */

export type RangeAnswer =
  /** Send the whole file (200). */
  | { kind: 'full' }
  /** Send bytes start..end inclusive (206). */
  | { kind: 'partial'; start: number; end: number }
  /** Nothing of the file matches (416). */
  | { kind: 'unsatisfiable' };

const SPEC = /^\s*(\d*)\s*-\s*(\d*)\s*$/;

/** @param header the Range header or null; @param size the file's length in bytes. */
export function parseRange(header: string | null, size: number): RangeAnswer {
  if (header === null) return { kind: 'full' };
  const match = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (match === null) return { kind: 'full' };
  const first = match[1]!.split(',')[0]!;
  const parts = SPEC.exec(first);
  if (parts === null) return { kind: 'full' };
  const [, startText, endText] = parts as unknown as [string, string, string];
  if (startText === '' && endText === '') return { kind: 'full' };
  if (startText === '') {
    // Suffix: the last n bytes.
    const length = Number(endText);
    if (!Number.isSafeInteger(length)) return { kind: 'full' };
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(startText);
  const end = endText === '' ? Number.POSITIVE_INFINITY : Number(endText);
  if (!Number.isSafeInteger(start) || (endText !== '' && !Number.isSafeInteger(end)) || end < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}
