/**
 * Video identity (size + three 1 MiB samples) and model checksum (SHA-256 over the weight files,
 * cached by path, size, mtime and inode), on real files in a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelChecksum, sampleRanges, videoIdentity } from '../../../src/analysis/store/identity.js';
import { LongviewError } from '../../../src/shared/errors.js';

const MIB = 1024 * 1024;

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'longview-identity-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Bytes that differ from position to position, so a moved sample would hash differently. */
function patterned(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let position = 0; position < length; position++) bytes[position] = (position * 31 + (position >> 11)) & 0xff;
  return bytes;
}

function sha256(...parts: Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

async function thrownBy(promise: Promise<unknown>): Promise<LongviewError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LongviewError) return error;
    throw error;
  }
  throw new Error('expected a LongviewError');
}

describe('sampleRanges', () => {
  it.each<[number, [number, number][]]>([
    [0, [[0, 0]]],
    [10, [[0, 10]]],
    [3 * MIB, [[0, 3 * MIB]]],
    [3 * MIB + 1, [[0, MIB], [MIB, MIB], [2 * MIB + 1, MIB]]],
    [100 * MIB, [[0, MIB], [49.5 * MIB, MIB], [99 * MIB, MIB]]],
  ])('%i bytes → %j', (size, ranges) => {
    expect(sampleRanges(size)).toEqual(ranges);
  });
});

describe('videoIdentity', () => {
  it('hashes the size (8 bytes, big-endian) and the whole of a small file', async () => {
    const content = patterned(5000);
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(5000n);
    expect(await videoIdentity(write('small.mp4', content))).toEqual({ sizeBytes: 5000, sha256: sha256(size, content) });
  });

  describe('of a 5 MiB file', () => {
    const size = 5 * MIB;
    let path: string;
    let original: { sizeBytes: number; sha256: string };
    beforeEach(async () => {
      path = write('video.mp4', patterned(size));
      original = await videoIdentity(path);
    });

    it('survives a touch', async () => {
      utimesSync(path, new Date(2001, 1, 1), new Date(2001, 1, 1));
      expect(await videoIdentity(path)).toEqual(original);
    });

    it.each([
      ['the first byte', 0],
      ['the last byte of the first MiB', MIB - 1],
      ['the middle', Math.floor(size / 2)],
      ['the last byte', size - 1],
    ])('changes with %s', async (_name, position) => {
      const content = patterned(size);
      content[position] = content[position]! ^ 0xff;
      writeFileSync(path, content);
      expect((await videoIdentity(path)).sha256).not.toBe(original.sha256);
    });

    it('changes with the size', async () => {
      writeFileSync(path, Buffer.concat([patterned(size), Buffer.of(0)]));
      const changed = await videoIdentity(path);
      expect(changed.sizeBytes).toBe(size + 1);
      expect(changed.sha256).not.toBe(original.sha256);
    });

    it('misses a same-size edit between the samples (the documented trade-off)', async () => {
      const content = patterned(size);
      const position = Math.floor(1.5 * MIB);
      content[position] = content[position]! ^ 0xff;
      writeFileSync(path, content);
      expect(await videoIdentity(path)).toEqual(original);
    });
  });

  it.each([
    ['a missing file', (): string => join(folder, 'missing.mp4')],
    ['a folder', (): string => folder],
  ])('refuses %s as input/unreadable, naming it', async (_name, pathOf) => {
    const error = await thrownBy(videoIdentity(pathOf()));
    expect([error.kind, error.reason]).toEqual(['input', 'unreadable']);
    expect(error.message).toContain(pathOf());
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(folder, 'pipe.mp4');
    execFileSync('mkfifo', [fifo]);
    expect((await thrownBy(videoIdentity(fifo))).reason).toBe('unreadable');
  });
});

describe('modelChecksum', () => {
  const cacheFile = (): string => join(folder, 'cache', 'checksums.json');

  it('is the SHA-256 of a single file (what sha256sum prints)', async () => {
    const content = patterned(300_000);
    expect(await modelChecksum([write('model.safetensors', content)], join(folder, 'cache'))).toBe(sha256(content));
  });

  it('covers several files in sorted path order, whatever order they are given in, each once', async () => {
    const first = write('model-00001-of-00002.safetensors', patterned(1000));
    const second = write('model-00002-of-00002.safetensors', patterned(2000));
    const expected = sha256(readFileSync(first), readFileSync(second));
    expect(await modelChecksum([second, first, second], join(folder, 'cache'))).toBe(expected);
  });

  it('is cached by path, size, mtime and inode: a same-size edit with the mtime put back is not seen', async () => {
    const path = write('model.bin', patterned(4096));
    utimesSync(path, 1_000_000_000, 1_000_000_000);
    const checksum = await modelChecksum([path], join(folder, 'cache'));
    expect(JSON.parse(readFileSync(cacheFile(), 'utf8')).entries[0].sha256).toBe(checksum);

    writeFileSync(path, patterned(4096).reverse()); // same file, same inode, same size
    utimesSync(path, 1_000_000_000, 1_000_000_000);
    expect(await modelChecksum([path], join(folder, 'cache'))).toBe(checksum); // proves the cache answered

    utimesSync(path, 1_000_000_001, 1_000_000_001);
    expect(await modelChecksum([path], join(folder, 'cache'))).toBe(sha256(readFileSync(path)));
  });

  it('re-hashes a file replaced by another of the same size and mtime (new inode)', async () => {
    const path = write('model.bin', patterned(4096));
    utimesSync(path, 1_000_000_000, 1_000_000_000);
    const checksum = await modelChecksum([path], join(folder, 'cache'));
    const replacement = write('replacement.bin', patterned(4096).reverse());
    utimesSync(replacement, 1_000_000_000, 1_000_000_000);
    renameSync(replacement, path);
    const again = await modelChecksum([path], join(folder, 'cache'));
    expect(again).not.toBe(checksum);
    expect(again).toBe(sha256(readFileSync(path)));
  });

  it.each([
    ['garbage', 'not json {'],
    ['another version', '{"version":9,"entries":[]}'],
    ['a bad entry', '{"version":1,"entries":[{"files":[{"path":1}],"sha256":"x"}]}'],
  ])('ignores a cache file holding %s and rebuilds it atomically', async (_name, content) => {
    const path = write('model.bin', patterned(777));
    mkdirSync(join(folder, 'cache'));
    writeFileSync(cacheFile(), content);
    expect(await modelChecksum([path], join(folder, 'cache'))).toBe(sha256(patterned(777)));
    expect(JSON.parse(readFileSync(cacheFile(), 'utf8')).version).toBe(1);
    expect(readdirSync(join(folder, 'cache'))).toEqual(['checksums.json']); // no temporary file left
  });

  it('refuses a missing weight file as model/unreadable, naming it', async () => {
    const missing = join(folder, 'missing.safetensors');
    const error = await thrownBy(modelChecksum([missing], join(folder, 'cache')));
    expect([error.kind, error.reason]).toEqual(['model', 'unreadable']);
    expect(error.message).toContain(missing);
  });
});
