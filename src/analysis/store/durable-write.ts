/**
 * Writes that survive a crash or power cut. A rename is atomic but not durable until the folder
 * holding it is synced, and file bytes are not durable until the file is synced (Pillai et al.,
 * OSDI '14), so: temporary file → fsync → rename → fsync folder.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Makes the entries of `folder` (files created, renamed or removed in it) durable. Some platforms
 * cannot open or sync a folder (Windows refuses; NTFS journals renames itself), which is not an
 * error worth failing for.
 */
export function syncDirectory(folder: string): void {
  let descriptor: number;
  try {
    descriptor = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(descriptor);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'ENOTSUP') throw error;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Replaces `path` with `bytes` so that a reader, even after a crash, sees either the old file or
 * the new one, never a mix. The temporary file sits in the same folder (a rename cannot cross file
 * systems) under a unique name, and is removed if anything fails.
 */
export function writeFileAtomically(path: string, bytes: Uint8Array): void {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = openSync(temporary, 'wx', 0o600);
  try {
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(descriptor, bytes, written, bytes.length - written);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Already renamed or never created: nothing to clean up.
    }
    throw error;
  }
  syncDirectory(folder);
}
