/**
 * What `protocol.handle` answers for the two schemes, as plain Request → Response functions (the
 * WHATWG types Electron uses), so they run and are tested without Electron.
 * - `app://longview/<file>`: the built renderer (dist/renderer) through the shared static handler,
 *   with the shared CSP plus `longview-media:` in media-src. Any other host is 404.
 * - `longview-media://video/<videoId>`: the granted video, with Range support, re-checked per request.
 */
import type { VideoAccess } from '../src/service/video-access.js';
import { mediaResponse } from '../src/service/media-response.js';
import { staticResponse } from '../src/service/static-response.js';
import { isAppUrl, mediaVideoId } from './app-origin.js';
import { MEDIA_SOURCE } from './schemes.js';

/** The CSP sources the app pages add to the shared policy. */
export const APP_POLICY = { media: [MEDIA_SOURCE] } as const;

export async function appProtocolResponse(request: Request, rendererRoot: string): Promise<Response> {
  if (!isAppUrl(request.url)) return notFound();
  return guarded(() => staticResponse(request, { root: rendererRoot, policy: APP_POLICY, rawPathname: rawPathname(request.url) }));
}

export async function mediaProtocolResponse(request: Request, access: VideoAccess): Promise<Response> {
  const videoId = mediaVideoId(request.url);
  if (videoId === undefined) return notFound();
  return guarded(() => mediaResponse(request, access, videoId));
}

/** The path as written in the URL, before `..` segments are folded away (static-response checks it). */
export function rawPathname(url: string): string {
  const afterAuthority = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const end = afterAuthority.search(/[?#]/);
  const path = end === -1 ? afterAuthority : afterAuthority.slice(0, end);
  return path === '' ? '/' : path;
}

function notFound(): Response {
  return new Response('Not found.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/** A bug in a handler becomes a 500 the page can see, not a rejected promise (a bare network error). */
async function guarded(respond: () => Promise<Response>): Promise<Response> {
  try {
    return await respond();
  } catch {
    return new Response('Internal error.', { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}
