/**
 * Where the Hub is, where its cache lives, who we are and whether we may use the network: read
 * from the same environment variables huggingface_hub reads, with the same defaults, so a
 * Longview download and a Python download land in (and reuse) the same cache.
 *
 * Pure but for the token file, whose reader is a parameter (tests pass their own).
 */
import { join, resolve } from 'node:path';
import { LongviewError } from '../../shared/errors.js';
import { readTokenFile as readTokenFileFromDisk } from './token-file.js';

/** Proxy URLs as undici's EnvHttpProxyAgent takes them; '' means "none" (no fallback to process.env). */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

export interface HubSettings {
  /** Base URL of the Hub, no trailing slash (HF_ENDPOINT, default https://huggingface.co). */
  endpoint: string;
  /** The hub cache folder holding models--org--name/ folders. */
  cacheDirectory: string;
  /** Access token sent as `Authorization: Bearer`, only to the endpoint's own host. */
  token: string | undefined;
  /** HF_HUB_OFFLINE: never touch the network, use the cache or fail. */
  offline: boolean;
  proxy: ProxySettings;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Reads a token file; undefined when it does not exist or cannot be read. */
export type TokenFileReader = (path: string) => string | undefined;

const DEFAULT_ENDPOINT = 'https://huggingface.co';
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);

/** A set, non-empty variable, else undefined (huggingface_hub treats "" as unset). */
function variable(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** huggingface_hub expands `~` in these paths (os.path.expanduser). */
function expandHome(path: string, homeDirectory: string): string {
  if (path === '~') return homeDirectory;
  if (path.startsWith('~/')) return join(homeDirectory, path.slice(2));
  return resolve(path);
}

export function isTrueWord(value: string | undefined): boolean {
  return value !== undefined && TRUE_WORDS.has(value.trim().toLowerCase());
}

export function hubEndpoint(env: Environment): string {
  const raw = variable(env, 'HF_ENDPOINT');
  if (raw === undefined) return DEFAULT_ENDPOINT;
  const endpoint = raw.trim().replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new LongviewError('usage', 'bad-endpoint', `HF_ENDPOINT "${endpoint.slice(0, 200)}" is not an http(s) URL; set it to the Hub's address (e.g. https://huggingface.co) or unset it.`);
  }
  return endpoint;
}

/** HF_HOME: $HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface. */
export function huggingFaceHome(env: Environment, homeDirectory: string): string {
  const explicit = variable(env, 'HF_HOME');
  if (explicit !== undefined) return expandHome(explicit, homeDirectory);
  const xdgCache = variable(env, 'XDG_CACHE_HOME');
  const cacheRoot = xdgCache !== undefined ? expandHome(xdgCache, homeDirectory) : join(homeDirectory, '.cache');
  return join(cacheRoot, 'huggingface');
}

/** HF_HUB_CACHE (or the older HUGGINGFACE_HUB_CACHE), else $HF_HOME/hub. */
export function hubCacheDirectory(env: Environment, homeDirectory: string): string {
  const explicit = variable(env, 'HF_HUB_CACHE') ?? variable(env, 'HUGGINGFACE_HUB_CACHE');
  if (explicit !== undefined) return expandHome(explicit, homeDirectory);
  return join(huggingFaceHome(env, homeDirectory), 'hub');
}

/** Where `huggingface-cli login` stores the token: HF_TOKEN_PATH, else $HF_HOME/token. */
export function tokenFilePath(env: Environment, homeDirectory: string): string {
  const explicit = variable(env, 'HF_TOKEN_PATH');
  if (explicit !== undefined) return expandHome(explicit, homeDirectory);
  return join(huggingFaceHome(env, homeDirectory), 'token');
}

/** HF_TOKEN (or the older HUGGING_FACE_HUB_TOKEN), else the token file; whitespace trimmed. */
export function hubToken(env: Environment, homeDirectory: string, readTokenFile: TokenFileReader): string | undefined {
  const fromEnvironment = variable(env, 'HF_TOKEN') ?? variable(env, 'HUGGING_FACE_HUB_TOKEN');
  const raw = fromEnvironment ?? readTokenFile(tokenFilePath(env, homeDirectory));
  const token = raw?.trim();
  return token === undefined || token === '' ? undefined : token;
}

/** Lower-case names win, as curl and undici read them. */
export function proxySettings(env: Environment): ProxySettings {
  const pick = (name: string): string => variable(env, name.toLowerCase()) ?? variable(env, name.toUpperCase()) ?? '';
  return { httpProxy: pick('http_proxy'), httpsProxy: pick('https_proxy'), noProxy: pick('no_proxy') };
}

export function hubSettings(env: Environment, homeDirectory: string, readTokenFile: TokenFileReader = readTokenFileFromDisk): HubSettings {
  return {
    endpoint: hubEndpoint(env),
    cacheDirectory: hubCacheDirectory(env, homeDirectory),
    token: hubToken(env, homeDirectory, readTokenFile),
    offline: isTrueWord(env['HF_HUB_OFFLINE'] ?? env['TRANSFORMERS_OFFLINE']),
    proxy: proxySettings(env),
  };
}
