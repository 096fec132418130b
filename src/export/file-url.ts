/**
 * File paths as file:// URLs, written out by hand rather than with node:url's pathToFileURL, which
 * resolves against the current folder and reads paths in the running platform's syntax: an
 * export made on Linux from a document analysed on Windows must still get C:\ right.
 */

/** In a `u` regex this matches only unpaired surrogates, which encodeURIComponent refuses. */
const LONE_SURROGATES = /[\ud800-\udfff]/gu;

/**
 * "/videos/a b#1.mp4" → "file:///videos/a%20b%231.mp4"; "C:\Clips\é.mp4" → "file:///C:/Clips/%C3%A9.mp4";
 * "\\server\share\x.mp4" → "file://server/share/x.mp4". Every path segment is percent-encoded as
 * UTF-8, so spaces, '#', '?', '%' and non-ASCII names survive. A relative path becomes a relative
 * URL (no scheme), since there is no folder to resolve it against.
 */
export function fileUrlFromPath(path: string): string {
  const drive = /^([A-Za-z]):[\\/]/.exec(path);
  if (drive !== null) return `file:///${drive[1]}:/${encodeSegments(path.slice(3).split(/[\\/]/))}`;
  if (/^\\\\[^\\]/.test(path)) {
    const [host = '', ...segments] = path.slice(2).split('\\');
    return `file://${encodeURIComponent(clean(host))}/${encodeSegments(segments)}`;
  }
  if (path.startsWith('/')) return `file://${encodeSegments(path.split('/'))}`;
  return encodeSegments(path.split('/'));
}

/** The last segment of a path in either platform's syntax, percent-encoded: a URL relative to the same folder. */
export function relativeFileUrl(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? '';
  return `./${encodeURIComponent(clean(name))}`;
}

function encodeSegments(segments: readonly string[]): string {
  return segments.map((segment) => encodeURIComponent(clean(segment))).join('/');
}

function clean(segment: string): string {
  return segment.replace(LONE_SURROGATES, '\ufffd');
}
