/**
 * The two custom schemes, registered as privileged before the app is ready. `app:` is standard
 * (real origin, relative URLs, localStorage) and secure (a secure context, like https); the
 * renderer's code comes only from it. `longview-media:` streams video bytes with Range requests
 * and is the one extra source the CSP's media-src allows.
 */
import type { CustomScheme } from 'electron';
import { APP_SCHEME, MEDIA_SCHEME } from './app-origin.js';

export const PRIVILEGED_SCHEMES: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: MEDIA_SCHEME, privileges: { secure: true, stream: true, supportFetchAPI: true } },
];

/** What the app pages' CSP adds to media-src: the player's source scheme, nothing else. */
export const MEDIA_SOURCE = `${MEDIA_SCHEME}:`;
