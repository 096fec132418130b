/**
 * Test helper (not a test): files that pretend to be videos. Each is small and made on the spot:
 * playlists and concat lists that point at other local files, truncated recordings, and a
 * Matroska file whose header declares an absurd picture size.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFfmpeg } from './make-videos.js';

/** The first `fraction` of `source`'s bytes, written to `target`. */
export function truncatedCopy(source: string, target: string, fraction: number): string {
  const bytes = readFileSync(source);
  writeFileSync(target, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return target;
}

/** An HLS playlist whose one segment is `segment` (resolved next to the playlist). */
export function writeHlsDecoy(path: string, segment: string): string {
  writeFileSync(path, `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n${segment}\n#EXT-X-ENDLIST\n`);
  return path;
}

/** An ffconcat list naming `file` (relative, which ffmpeg's default `-safe 1` allows). */
export function writeConcatDecoy(path: string, file: string): string {
  writeFileSync(path, `ffconcat version 1.0\nfile ${file}\n`);
  return path;
}

/**
 * A one-frame raw-video Matroska file made 320×256, then patched to declare `width`×`height`
 * (each below 65536). Raw video has no size of its own, so the container's claim is all ffmpeg
 * has; 320 and 256 are written as two-byte EBML integers, so the patch keeps every length intact.
 */
export async function makeDeclaredSizeMkv(folder: string, name: string, width: number, height: number): Promise<string> {
  const path = join(folder, `${name}.mkv`);
  await runFfmpeg(['-y', '-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:size=320x256:rate=1', '-frames:v', '1', '-c:v', 'rawvideo', '-pix_fmt', 'gray', path]);
  const bytes = readFileSync(path);
  patchElement(bytes, [0xb0, 0x82, 0x01, 0x40], width);
  patchElement(bytes, [0xba, 0x82, 0x01, 0x00], height);
  writeFileSync(path, bytes);
  return path;
}

/** Overwrites the two value bytes of the first element that matches `element` (id, size, value). */
function patchElement(bytes: Buffer, element: number[], value: number): void {
  const position = bytes.indexOf(Buffer.from(element));
  if (position < 0) throw new Error(`makeDeclaredSizeMkv: element ${element.map((byte) => byte.toString(16)).join(' ')} not found`);
  bytes.writeUInt16BE(value, position + 2);
}
