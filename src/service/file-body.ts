/** A byte range of an open file as a WHATWG ReadableStream body, read as the client consumes it. */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** Takes ownership of `handle`: it is closed when the stream ends, fails or is cancelled. */
export function fileBody(handle: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
  const stream = handle.createReadStream({ start, end, autoClose: true });
  return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
}
