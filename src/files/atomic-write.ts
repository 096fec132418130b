/**
 * Replacing a whole file (an export, the model registry, the checksum cache) without ever
 * destroying the last good one. The new contents go to a temporary file in the destination's folder (same file system, so the
 * final rename is atomic), are fsynced, and only then renamed over the destination; the folder is
 * fsynced last so the rename itself survives a power cut. The previous file is kept as
 * `<name>.bak` through a hard link, so at no moment is it missing. A crash at any point leaves
 * either the old or the new file complete at the destination, never a mix (at worst a stray
 * `.<name>.<pid>.<random>.tmp` beside it).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LongviewError } from '../shared/errors.js';
import { syncDirectory } from './sync-directory.js';

/** The file-system calls the write makes; tests substitute failing ones to check the clean-up. */
export interface FileOperations {
  /** The entry itself (links not followed), or undefined when nothing is there. */
  lstat(path: string): Stats | undefined;
  /** Creates a new file for writing, failing if the name exists; returns its descriptor. */
  createExclusive(path: string, mode: number): number;
  /** Writes bytes[offset, offset + length) and returns how many were written (maybe fewer). */
  write(descriptor: number, bytes: Uint8Array, offset: number, length: number): number;
  fsync(descriptor: number): void;
  close(descriptor: number): void;
  link(existingPath: string, newPath: string): void;
  /** Copies a file to a name that must not exist yet. */
  copy(fromPath: string, toPath: string): void;
  rename(fromPath: string, toPath: string): void;
  unlink(path: string): void;
  /** Flushes a folder's entries (renames, creations) to disk. */
  syncFolder(path: string): void;
}

export const nodeFileOperations: FileOperations = {
  lstat: (path) => lstatSync(path, { throwIfNoEntry: false }),
  createExclusive: (path, mode) => openSync(path, 'wx', mode),
  write: (descriptor, bytes, offset, length) => writeSync(descriptor, bytes, offset, length),
  fsync: (descriptor) => fsyncSync(descriptor),
  close: (descriptor) => closeSync(descriptor),
  link: (existingPath, newPath) => linkSync(existingPath, newPath),
  copy: (fromPath, toPath) => copyFileSync(fromPath, toPath, constants.COPYFILE_EXCL),
  rename: (fromPath, toPath) => renameSync(fromPath, toPath),
  unlink: (path) => unlinkSync(path),
  syncFolder: (path) => syncDirectory(path),
};

export interface AtomicWriteOptions {
  /** Keep the file being replaced as `<name>.bak` (replacing an older .bak). Default true. */
  keepBackup?: boolean;
  /** Defaults to node:fs. */
  fileOperations?: FileOperations;
}

/** Permissions of the written file before the umask: readable by all, writable by the owner. */
const FILE_MODE = 0o644;

/**
 * Replaces `path` with `contents` (a string is written as UTF-8) atomically and durably. Refuses
 * a destination that is a folder, link, device or anything but a regular file with a usage
 * error. On failure the destination is untouched, the temporary file is removed, and the error is
 * a LongviewError('usage', 'write-failed') saying what went wrong.
 */
export function writeFileAtomic(path: string, contents: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const operations = options.fileOperations ?? nodeFileOperations;
  const replacing = checkDestination(path, operations);
  const folder = dirname(path);
  const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
  const temporary = join(folder, temporaryName(basename(path)));
  let leftovers: string[] = [];
  try {
    const descriptor = operations.createExclusive(temporary, FILE_MODE);
    leftovers = [temporary];
    writeAllAndSync(descriptor, bytes, operations);
    if (replacing && (options.keepBackup ?? true)) {
      // Link (or copy) the current file to a temporary name, then rename that over the .bak,
      // so the old .bak is replaced in one step too.
      const backupTemporary = join(folder, temporaryName(`${basename(path)}.bak`));
      leftovers.push(backupTemporary);
      linkOrCopy(path, backupTemporary, operations);
      operations.rename(backupTemporary, `${path}.bak`);
      leftovers.pop();
    }
    operations.rename(temporary, path);
    leftovers = [];
  } catch (error) {
    for (const leftover of leftovers) removeQuietly(leftover, operations);
    throw describeWriteFailure(path, error);
  }
  syncFolderIfPossible(folder, operations);
}

/** True when a regular file is there to be replaced, false when the name is free; throws otherwise. */
function checkDestination(path: string, operations: FileOperations): boolean {
  let entry: Stats | undefined;
  try {
    entry = operations.lstat(path);
  } catch (error) {
    throw describeWriteFailure(path, error);
  }
  if (entry === undefined) return false;
  if (entry.isDirectory()) {
    throw new LongviewError('usage', 'destination-is-folder', `Cannot write "${path}": it is a folder; give the name of a file to write instead.`);
  }
  if (!entry.isFile()) {
    const what = entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file (a device, pipe or socket)';
    throw new LongviewError('usage', 'destination-not-file', `Cannot write "${path}": it is ${what}, which Longview does not overwrite; choose another file name.`);
  }
  return true;
}

/** Unique beside any other writer: hidden, the process id, 48 random bits. */
function temporaryName(name: string): string {
  return `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

function writeAllAndSync(descriptor: number, bytes: Uint8Array, operations: FileOperations): void {
  try {
    let offset = 0;
    while (offset < bytes.length) offset += operations.write(descriptor, bytes, offset, bytes.length - offset);
    operations.fsync(descriptor);
  } finally {
    operations.close(descriptor);
  }
}

/** A hard link costs nothing and shares the old file's already-durable data; file systems without links get a copy. */
function linkOrCopy(existingPath: string, newPath: string, operations: FileOperations): void {
  try {
    operations.link(existingPath, newPath);
  } catch {
    operations.copy(existingPath, newPath);
  }
}

function removeQuietly(path: string, operations: FileOperations): void {
  try {
    operations.unlink(path);
  } catch {
    // Already gone, or the folder became unwritable; nothing more can be done for it.
  }
}

/**
 * Best effort: the rename has happened, so failing the write now would report a file that was
 * written as lost. (syncDirectory already passes over platforms that cannot flush a folder.)
 */
function syncFolderIfPossible(folder: string, operations: FileOperations): void {
  try {
    operations.syncFolder(folder);
  } catch {
    // See above.
  }
}

/** File-system errors as a usage error with a sentence to act on; anything else (a bug) as it is. */
function describeWriteFailure(path: string, error: unknown): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  if (code === undefined) return error;
  const why: Readonly<Record<string, string>> = {
    ENOENT: `the folder "${dirname(path)}" does not exist; create it or choose another folder`,
    ENOTDIR: `part of the path "${dirname(path)}" is not a folder; choose another folder`,
    EACCES: 'permission denied; choose a folder you can write to',
    EPERM: 'the operation is not permitted here; choose a folder you can write to',
    EROFS: 'the disk is read-only; choose a writable folder',
    ENOSPC: 'the disk is full; free some space or choose another disk',
    EDQUOT: 'your disk quota is used up; free some space or choose another disk',
  };
  return new LongviewError('usage', 'write-failed', `Could not write "${path}": ${why[code] ?? `the system reported ${code}; the previous file, if any, is unchanged`}.`, { cause: error });
}
