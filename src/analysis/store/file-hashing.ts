/**
 * Streams file bytes into a hash a megabyte at a time, so a 500 MB checkpoint or a 20 GB video is
 * hashed in constant memory. Files are opened non-blocking and anything but a regular file is
 * refused, so a FIFO given as a video or weight file fails at once instead of hanging.
 */
import type { Hash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LongviewError, type ErrorKind } from '../../shared/errors.js';

const READ_BYTES = 1024 * 1024;

/** Whose file it is, for error messages: 'input' for the video, 'model' for weight files. */
export interface FileRole {
  kind: ErrorKind;
  /** "video", "model file". */
  noun: string;
}

export async function openRegularFile(path: string, role: FileRole): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new LongviewError(role.kind, 'unreadable', `Cannot open the ${role.noun} ${path} (${code}); check that the path is right and readable.`, { cause: error });
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new LongviewError(role.kind, 'unreadable', `The ${role.noun} ${path} is not a regular file; give the path of the file itself.`);
  }
  return handle;
}

/**
 * Feeds bytes [start, start + length) of the open file to `hash`. A file that ends early was
 * changed (truncated) while we read it, which is reported rather than hashed as if whole.
 */
export async function hashRange(handle: FileHandle, hash: Hash, start: number, length: number, path: string, role: FileRole): Promise<void> {
  const buffer = Buffer.alloc(Math.min(READ_BYTES, length));
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, length - done), start + done);
    if (bytesRead === 0) {
      throw new LongviewError(role.kind, 'changed', `The ${role.noun} ${path} got shorter while it was being read; wait until nothing is writing it, then run again.`);
    }
    hash.update(buffer.subarray(0, bytesRead));
    done += bytesRead;
  }
}
