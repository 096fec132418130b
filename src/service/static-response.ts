/**
 * Serves the built renderer (dist/renderer) for GET and HEAD with strict security headers. Only
 * regular files strictly inside the root are served: `..` (also percent-encoded), encoded slashes,
 * backslashes, NUL and absolute paths are refused before the file system is asked, and the real
 * path (links followed) must still lie inside the root's real path, compared with a separator so
 * a sibling like `dist/renderer-evil` is not "inside" `dist/renderer`.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { contentSecurityPolicy, type PolicySources } from './content-security-policy.js';
import { fileBody } from './file-body.js';
import { pageContentType } from './media-types.js';

export { contentSecurityPolicy } from './content-security-policy.js';

export interface StaticOptions {
  /** The folder served, e.g. dist/renderer. */
  root: string;
  /** Extra CSP sources (see content-security-policy.ts). */
  policy?: PolicySources;
  /**
   * The request path exactly as received (before URL normalization), when the host has it; the
   * WHATWG URL parser already folds `..` away, so checking the raw text refuses what it would hide.
   */
  rawPathname?: string;
}

/** Headers on every answer, including refusals. */
export function securityHeaders(policy: PolicySources = {}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(policy),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

/**
 * Pure: the path segments a URL path names under the root, or undefined when it must be refused.
 * "/" is index.html.
 */
export function staticSegments(rawPathname: string): string[] | undefined {
  if (!rawPathname.startsWith('/') || rawPathname.startsWith('//')) return undefined;
  // Encoded separators, encoded dots and NUL are never part of a renderer file name.
  if (/%(2f|5c|2e|00)/i.test(rawPathname) || rawPathname.includes('\\') || rawPathname.includes('\0')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment === '.' || /^[A-Za-z]:/.test(segment))) return undefined;
  if (segments.slice(0, -1).some((segment) => segment === '')) return undefined;
  if (segments.length === 0 || segments.at(-1) === '') segments.splice(-1, 1, 'index.html');
  return segments;
}

export async function staticResponse(request: Request, options: StaticOptions): Promise<Response> {
  const headers = securityHeaders(options.policy);
  const refuse = (status: number, text: string): Response => new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Only GET and HEAD are allowed here.', { status: 405, headers: { ...headers, Allow: 'GET, HEAD' } });
  const segments = staticSegments(options.rawPathname ?? new URL(request.url).pathname);
  if (segments === undefined) return refuse(400, 'Bad path.');
  const file = await insideRoot(options.root, segments);
  if (file === undefined) return refuse(404, 'Not found.');
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return refuse(404, 'Not found.');
  }
  let handed = false;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return refuse(404, 'Not found.');
    const fileHeaders = { ...headers, 'Content-Type': pageContentType(file), 'Content-Length': String(stats.size) };
    if (request.method === 'HEAD' || stats.size === 0) return new Response(null, { status: 200, headers: fileHeaders });
    handed = true;
    return new Response(fileBody(handle, 0, stats.size - 1), { status: 200, headers: fileHeaders });
  } finally {
    if (!handed) await handle.close();
  }
}

/** The real path of root/segments when it exists and lies strictly inside the root's real path. */
async function insideRoot(root: string, segments: readonly string[]): Promise<string | undefined> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, ...segments));
    const inside = relative(realRoot, real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || !real.startsWith(realRoot + sep)) return undefined;
    return real;
  } catch {
    return undefined;
  }
}
