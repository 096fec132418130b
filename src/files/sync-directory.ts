/**
 * A new file's name is not durable until the folder holding it is synced (Pillai et al., OSDI '14).
 * Whole-file replacements go through atomic-write.ts.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';

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
