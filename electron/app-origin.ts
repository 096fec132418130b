/**
 * The one origin the app's own pages come from: `app://longview`, served by `protocol.handle('app')`
 * out of dist/renderer. Navigation guards and the IPC sender check both ask `isAppUrl`.
 *
 * WHATWG URL gives every non-special scheme an opaque origin ("null"), so `new URL(x).origin` cannot
 * be compared here: the scheme, host, port and user info are checked one by one instead.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'longview';
/** What the window loads first. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
/** Videos reach the player only through this scheme: `longview-media://video/<videoId>`. */
export const MEDIA_SCHEME = 'longview-media';
export const MEDIA_HOST = 'video';

export function mediaUrl(videoId: string): string {
  return `${MEDIA_SCHEME}://${MEDIA_HOST}/${encodeURIComponent(videoId)}`;
}

/** True only for `app://longview/...` with no port and no user info; false for anything unparsable. */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== undefined &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * The videoId of a `longview-media://video/<videoId>` URL, or undefined for any other URL (wrong
 * scheme or host, a nested path, an empty id).
 */
export function mediaVideoId(url: string): string | undefined {
  const parsed = parseUrl(url);
  if (parsed === undefined || parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.hostname !== MEDIA_HOST || parsed.port !== '') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  const match = /^\/([^/]+)$/.exec(parsed.pathname);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
