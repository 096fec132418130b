import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileOperations, writeFileAtomic, type FileOperations } from '../../src/files/atomic-write.js';

let folder: string;
let destination: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'longview-atomic-'));
  destination = join(folder, 'analysis.json');
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Real file operations, except that the `call`-th use (1-based) of `name` fails with `code`. */
function failingAt(name: keyof FileOperations, call = 1, code = 'EIO'): FileOperations {
  let calls = 0;
  const failing = (...parameters: unknown[]): unknown => {
    calls += 1;
    if (calls === call) throw Object.assign(new Error(`${name} failed (simulated)`), { code });
    return (nodeFileOperations[name] as (...values: unknown[]) => unknown)(...parameters);
  };
  return { ...nodeFileOperations, [name]: failing };
}

describe('writeFileAtomic', () => {
  it('creates a new file without a backup', () => {
    writeFileAtomic(destination, '{"version":1}\n');
    expect(readFileSync(destination, 'utf8')).toBe('{"version":1}\n');
    expect(readdirSync(folder)).toEqual(['analysis.json']);
  });

  it('gives the file no more than rw-r--r-- permissions', () => {
    writeFileAtomic(destination, 'x');
    expect(statSync(destination).mode & 0o777 & ~0o644).toBe(0);
  });

  it('replaces the contents and keeps the previous file as .bak', () => {
    writeFileAtomic(destination, 'first');
    writeFileAtomic(destination, 'second');
    writeFileAtomic(destination, 'third');
    expect(readFileSync(destination, 'utf8')).toBe('third');
    expect(readFileSync(`${destination}.bak`, 'utf8')).toBe('second');
    expect(readdirSync(folder).sort()).toEqual(['analysis.json', 'analysis.json.bak']);
  });

  it('writes bytes as given', () => {
    const bytes = Uint8Array.of(0, 255, 10, 13, 128);
    writeFileAtomic(destination, bytes);
    expect(new Uint8Array(readFileSync(destination))).toEqual(bytes);
  });

  it('writes UTF-8 text', () => {
    writeFileAtomic(destination, 'Zoë – 🎬');
    expect(readFileSync(destination, 'utf8')).toBe('Zoë – 🎬');
  });

  it('leaves any .bak alone when asked not to keep one', () => {
    writeFileSync(destination, 'old');
    writeFileSync(`${destination}.bak`, 'older');
    writeFileAtomic(destination, 'new', { keepBackup: false });
    expect(readFileSync(destination, 'utf8')).toBe('new');
    expect(readFileSync(`${destination}.bak`, 'utf8')).toBe('older');
  });

  it('copies the backup where hard links are not possible', () => {
    writeFileSync(destination, 'old');
    writeFileAtomic(destination, 'new', { fileOperations: failingAt('link', 1, 'EPERM') });
    expect(readFileSync(`${destination}.bak`, 'utf8')).toBe('old');
    expect(readFileSync(destination, 'utf8')).toBe('new');
  });

  it('writes everything even when the system writes a little at a time', () => {
    const trickle: FileOperations = { ...nodeFileOperations, write: (descriptor, bytes, offset, length) => nodeFileOperations.write(descriptor, bytes, offset, Math.min(length, 7)) };
    const text = 'abcdefghij'.repeat(100);
    writeFileAtomic(destination, text, { fileOperations: trickle });
    expect(readFileSync(destination, 'utf8')).toBe(text);
  });

  it.each([
    ['creating the temporary file', 'createExclusive', 1],
    ['writing', 'write', 1],
    ['flushing the file', 'fsync', 1],
    ['closing the file', 'close', 1],
    ['backing up (link and copy both failing)', 'copy', 1],
    ['renaming the backup into place', 'rename', 1],
    ['renaming the new file into place', 'rename', 2],
  ] as const)('leaves the old file and no temporary files when %s fails', (_, operation, call) => {
    writeFileSync(destination, 'old');
    const operations = operation === 'copy' ? { ...failingAt('copy'), link: failingAt('link').link } : failingAt(operation, call);
    expect(() => writeFileAtomic(destination, 'new', { fileOperations: operations })).toThrow(
      expect.objectContaining({ kind: 'usage', reason: 'write-failed', message: expect.stringContaining(destination) }),
    );
    expect(readFileSync(destination, 'utf8')).toBe('old');
    expect(readdirSync(folder).filter((name) => name !== 'analysis.json.bak')).toEqual(['analysis.json']);
  });

  it('reports a failed folder flush as nothing worse than success, since the rename happened', () => {
    writeFileAtomic(destination, 'new', { fileOperations: failingAt('syncFolder') });
    expect(readFileSync(destination, 'utf8')).toBe('new');
  });

  it.each([
    ['ENOSPC', 'the disk is full'],
    ['EACCES', 'permission denied'],
    ['EROFS', 'read-only'],
    ['EIO', 'EIO'],
  ])('explains %s in words', (code, words) => {
    expect(() => writeFileAtomic(destination, 'x', { fileOperations: failingAt('write', 1, code) })).toThrow(words);
  });

  it('says which folder is missing', () => {
    const missing = join(folder, 'no such folder', 'out.json');
    expect(() => writeFileAtomic(missing, 'x')).toThrow(expect.objectContaining({ reason: 'write-failed', message: expect.stringContaining('does not exist') }));
  });

  it('passes errors that are not from the file system through unchanged', () => {
    const bug = new TypeError('a bug');
    const operations: FileOperations = { ...nodeFileOperations, fsync: () => { throw bug; } };
    expect(() => writeFileAtomic(destination, 'x', { fileOperations: operations })).toThrow(bug);
    expect(readdirSync(folder)).toEqual([]);
  });

  describe('refuses destinations that are not regular files', () => {
    it('a folder', () => {
      mkdirSync(destination);
      expect(() => writeFileAtomic(destination, 'x')).toThrow(expect.objectContaining({ kind: 'usage', reason: 'destination-is-folder' }));
      expect(statSync(destination).isDirectory()).toBe(true);
    });

    it('a symbolic link, leaving its target alone', () => {
      const target = join(folder, 'target.json');
      writeFileSync(target, 'target');
      symlinkSync(target, destination);
      expect(() => writeFileAtomic(destination, 'x')).toThrow(expect.objectContaining({ kind: 'usage', reason: 'destination-not-file' }));
      expect(readFileSync(target, 'utf8')).toBe('target');
    });

    it.skipIf(process.platform === 'win32')('a named pipe, without blocking on it', () => {
      execFileSync('mkfifo', [destination]);
      expect(() => writeFileAtomic(destination, 'x')).toThrow(expect.objectContaining({ kind: 'usage', reason: 'destination-not-file', message: expect.stringContaining('pipe') }));
    });
  });
});
