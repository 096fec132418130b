/** node:http ⇄ WHATWG Request/Response, so the shared handlers (src/service) serve over node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Only what the handlers read: method, URL and the Range header; GET/HEAD carry no body. */
export function toRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  const range = incoming.headers.range;
  if (typeof range === 'string') headers.set('range', range);
  return new Request(new URL(incoming.url ?? '/', origin), { method: incoming.method ?? 'GET', headers });
}

/** Writes the answer; a client that goes away mid-body ends the file stream (pipeline destroys both). */
export async function sendResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body === null) {
    outgoing.end();
    return;
  }
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), outgoing);
  } catch {
    // The client closed the connection (a player seeking elsewhere): nothing to report.
  }
}

export function plainResponse(outgoing: ServerResponse, status: number, text: string): void {
  outgoing.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  outgoing.end(text);
}
