import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange, type RangeAnswer } from '../../src/service/byte-ranges.js';
import { mediaResponse } from '../../src/service/media-response.js';
import { createVideoAccess, type VideoAccess } from '../../src/service/video-access.js';
import { temporaryFolder } from '../video/test-files.js';

describe('parseRange', () => {
  const table: [string | null, number, RangeAnswer][] = [
    [null, 100, { kind: 'full' }],
    ['bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=90-200', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=10-', 100, { kind: 'partial', start: 10, end: 99 }],
    ['bytes=-10', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-500', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=150-160', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    // The first of several ranges is served.
    ['bytes=0-1, 5-6', 100, { kind: 'partial', start: 0, end: 1 }],
    // Malformed or foreign units are ignored: the whole file.
    ['bytes=9-3', 100, { kind: 'full' }],
    ['bytes=a-b', 100, { kind: 'full' }],
    ['bytes=-', 100, { kind: 'full' }],
    ['items=0-5', 100, { kind: 'full' }],
    ['bytes=99999999999999999999-', 100, { kind: 'full' }],
  ];
  it.each(table)('%s of %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('mediaResponse', () => {
  let folder: { path: string; remove: () => void };
  let access: VideoAccess;
  let videoId: string;
  const bytes = randomBytes(100_000);

  beforeAll(async () => {
    folder = temporaryFolder('longview-media-');
    const path = join(folder.path, 'clip.webm');
    writeFileSync(path, bytes);
    access = createVideoAccess();
    videoId = await access.grant(path);
  });
  afterAll(() => folder.remove());

  const request = (headers: Record<string, string> = {}, method = 'GET'): Request => new Request('http://127.0.0.1/media/x', { method, headers });

  it('serves the whole file with its type and length', async () => {
    const response = await mediaResponse(request(), access, videoId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/webm');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('answers HEAD with headers only', async () => {
    const response = await mediaResponse(request({}, 'HEAD'), access, videoId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.body).toBeNull();
  });

  it.each([
    ['bytes=100-1099', 100, 1099],
    ['bytes=99000-', 99_000, 99_999],
    ['bytes=-2500', 97_500, 99_999],
  ])('serves %s as 206 with exactly those bytes', async (range, start, end) => {
    const response = await mediaResponse(request({ Range: range }), access, videoId);
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true);
  });

  it('answers 416 with the size for a range past the end', async () => {
    const response = await mediaResponse(request({ Range: 'bytes=200000-' }), access, videoId);
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('refuses unknown ids and other methods', async () => {
    expect((await mediaResponse(request(), access, 'unknown')).status).toBe(404);
    expect((await mediaResponse(request({}, 'POST'), access, videoId)).status).toBe(405);
  });
});
