/**
 * Serves a granted video to the player: GET and HEAD with byte ranges (players seek by asking for
 * ranges), streamed from the file, never read whole. Uses the WHATWG Request/Response types, so
 * `longview serve` and Electron's `protocol.handle` share it. The grant is re-checked on every
 * request (video-access.ts) and the file actually opened must be the granted one (same device
 * and inode), so a file swapped after the check is not served either.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { LongviewError } from '../shared/errors.js';
import { parseRange } from './byte-ranges.js';
import { fileBody } from './file-body.js';
import { videoContentType } from './media-types.js';
import type { VideoAccess } from './video-access.js';

const BASE_HEADERS = { 'Accept-Ranges': 'bytes', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } as const;

export async function mediaResponse(request: Request, access: VideoAccess, videoId: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Only GET and HEAD are allowed here.', { Allow: 'GET, HEAD' });
  let granted;
  try {
    granted = await access.identify(videoId);
  } catch (error) {
    if (error instanceof LongviewError) return textResponse(error.reason === 'unknown-video' ? 404 : 410, error.message);
    throw error;
  }
  let handle;
  try {
    handle = await open(granted.path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return textResponse(410, 'The video cannot be opened any more; open it again.');
  }
  let handed = false;
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.dev !== granted.device || stats.ino !== granted.inode) return textResponse(410, 'The video changed since it was opened; open it again.');
    const size = stats.size;
    const range = parseRange(request.headers.get('range'), size);
    const type = videoContentType(granted.path);
    if (range.kind === 'unsatisfiable') return textResponse(416, 'The requested range is outside the video.', { 'Content-Range': `bytes */${size}` });
    const [status, start, end] = range.kind === 'partial' ? [206, range.start, range.end] : [200, 0, size - 1];
    const headers: Record<string, string> = { ...BASE_HEADERS, 'Content-Type': type, 'Content-Length': String(Math.max(0, end - start + 1)) };
    if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    if (request.method === 'HEAD' || size === 0) return new Response(null, { status, headers });
    handed = true;
    return new Response(fileBody(handle, start, end), { status, headers });
  } finally {
    if (!handed) await handle.close();
  }
}

function textResponse(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}
