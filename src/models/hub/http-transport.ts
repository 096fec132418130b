/**
 * The HTTP edge: undici's fetch through an EnvHttpProxyAgent (Node 20's global fetch ignores
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY), plus one request helper that follows redirects by hand so
 * the Authorization header only ever goes to the Hub's own origin.
 */
import { Agent, EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher, type Response } from 'undici';
import { APP_VERSION } from '../../shared/version.js';
import type { ProxySettings } from './hub-settings.js';
import { cancelledError } from '../../shared/cancellation.js';
import { hubNetworkError } from './hub-errors.js';

export type HubResponse = Response;

export interface HubFetchInit {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  redirect: 'manual';
  signal?: AbortSignal | undefined;
}

/** The one fetch call the Hub client makes; tests may substitute it. */
export type HubFetch = (url: string, init: HubFetchInit) => Promise<HubResponse>;

export interface HubTransport {
  fetch: HubFetch;
  /** Closes the connection pool (and proxy connections). */
  close(): Promise<void>;
}

/**
 * A fetch bound to a proxy agent built from these settings (never from process.env). Without a
 * proxy a plain Agent does the same job without undici's "experimental" warning on stderr.
 */
export function createHubTransport(proxy: ProxySettings): HubTransport {
  const dispatcher: Dispatcher =
    proxy.httpProxy === '' && proxy.httpsProxy === '' ? new Agent() : new EnvHttpProxyAgent({ httpProxy: proxy.httpProxy, httpsProxy: proxy.httpsProxy, noProxy: proxy.noProxy });
  return {
    fetch: (url, init) => undiciFetch(url, { ...init, dispatcher }),
    close: () => dispatcher.close(),
  };
}

export interface HubConnection {
  endpoint: string;
  token: string | undefined;
  fetch: HubFetch;
  signal?: AbortSignal | undefined;
}

export interface SentRequest {
  response: HubResponse;
  /** The URL that gave this response, after the redirects followed. */
  url: string;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Authorization only for the endpoint's origin: a CDN or another host never sees the token. */
export function requestHeaders(connection: HubConnection, url: string, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': `longview/${APP_VERSION}`, ...extra };
  if (connection.token !== undefined && new URL(url).origin === new URL(connection.endpoint).origin) {
    headers['Authorization'] = `Bearer ${connection.token}`;
  }
  return headers;
}

/** A Location with no host (huggingface_hub follows only these: a renamed repository). */
function isRelativeLocation(location: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(location) && !location.startsWith('//');
}

/**
 * Sends a request, following redirects: relative ones always, absolute ones only when
 * followAbsolute (a GET to the CDN). Network failures become 'network' errors; a cancel becomes
 * 'cancelled'. The caller reads or cancels the body.
 */
export async function sendRequest(connection: HubConnection, method: 'GET' | 'HEAD', url: string, extra: Record<string, string>, followAbsolute: boolean): Promise<SentRequest> {
  let current = url;
  for (let redirects = 0; ; redirects += 1) {
    let response: HubResponse;
    try {
      response = await connection.fetch(current, { method, headers: requestHeaders(connection, current, extra), redirect: 'manual', signal: connection.signal });
    } catch (error) {
      if (connection.signal?.aborted === true) throw cancelledError(`The download from ${connection.endpoint}`, connection.signal.reason);
      throw hubNetworkError(new URL(current).origin, error);
    }
    const location = response.headers.get('location');
    const follow = REDIRECT_STATUSES.has(response.status) && location !== null && (followAbsolute || isRelativeLocation(location));
    if (!follow || redirects >= MAX_REDIRECTS) return { response, url: current };
    await response.body?.cancel();
    current = new URL(location, current).toString();
  }
}
