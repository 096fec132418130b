/**
 * Who may talk to `longview serve`. Pure. The server listens on 127.0.0.1 only, but any web page
 * the user visits can still send requests to localhost, and DNS rebinding can make a foreign name
 * resolve to 127.0.0.1. So:
 * - the Host header must name this server (127.0.0.1:PORT or localhost:PORT), which defeats DNS
 *   rebinding (the rebound page sends its own host name);
 * - the API socket and the media need the random token from the printed URL, compared in constant
 *   time, which another page cannot know;
 * - the API socket also needs an Origin equal to our own, since browsers let any page open a
 *   WebSocket to any address (no same-origin policy for WebSockets).
 * The renderer's static files need only the Host check: they are the app's public code.
 */
import { timingSafeEqual } from 'node:crypto';

/** The Host header, when it names this server; undefined otherwise. */
export function ownHost(hostHeader: string | undefined, port: number): string | undefined {
  if (hostHeader === undefined) return undefined;
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}` ? hostHeader : undefined;
}

/** The Origin a page we served sends: the scheme plus the (already checked) Host. */
export function originMatches(originHeader: string | undefined, checkedHost: string): boolean {
  return originHeader === `http://${checkedHost}`;
}

/** Constant-time comparison, so response timing does not leak how much of a guess was right. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const left = Buffer.from(given, 'utf8');
  const right = Buffer.from(token, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The raw path and the token query parameter of a request target like "/media/abc?token=…". */
export function splitTarget(target: string | undefined): { pathname: string; token: string | null } {
  const text = target ?? '/';
  const question = text.indexOf('?');
  const pathname = question === -1 ? text : text.slice(0, question);
  const query = question === -1 ? '' : text.slice(question + 1);
  return { pathname, token: new URLSearchParams(query).get('token') };
}
