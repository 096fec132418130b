/**
 * Checks a video path before any tool touches it: it must exist, be a regular file and not be
 * empty. ffmpeg opens files blocking, so a FIFO would hang it and a device could stream forever;
 * both are refused here by `stat`, which opens nothing. Only then is the file opened
 * (non-blocking, in case it was swapped since) to read its first bytes, which tell a cut-off MP4
 * from a file that was never a video.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LongviewError } from '../shared/errors.js';

export interface CheckedFile {
  absolutePath: string;
  sizeBytes: number;
  /** Bytes 4..8 are 'ftyp': an ISO media file (MP4, MOV, 3GP), whatever its name. */
  looksLikeMp4: boolean;
}

/** Bytes read from the start of the file: a box size (4) and a box type (4). */
const HEAD_BYTES = 8;

export function checkInputFile(path: string): CheckedFile {
  const absolutePath = resolve(path);
  const sizeBytes = regularFileSize(absolutePath);
  if (sizeBytes === 0) {
    throw new LongviewError('input', 'empty', `${absolutePath} is empty (0 bytes); the download or copy may have failed, so choose a complete copy.`);
  }
  return { absolutePath, sizeBytes, looksLikeMp4: readHead(absolutePath).subarray(4, 8).toString('latin1') === 'ftyp' };
}

function regularFileSize(absolutePath: string): number {
  let stats;
  try {
    stats = statSync(absolutePath);
  } catch (error) {
    throw openingError(absolutePath, error);
  }
  if (!stats.isFile()) {
    const what = stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a pipe (FIFO)' : stats.isSocket() ? 'a socket' : 'a device';
    throw new LongviewError('input', 'not-a-file', `${absolutePath} is ${what}, not a video file; choose a video file.`);
  }
  return stats.size;
}

function readHead(absolutePath: string): Buffer {
  let descriptor: number;
  try {
    descriptor = openSync(absolutePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw openingError(absolutePath, error);
  }
  try {
    if (!fstatSync(descriptor).isFile()) {
      throw new LongviewError('input', 'not-a-file', `${absolutePath} changed into something other than a regular file while being opened; choose a video file.`);
    }
    const head = Buffer.alloc(HEAD_BYTES);
    const count = readSync(descriptor, head, 0, HEAD_BYTES, 0);
    return head.subarray(0, count);
  } finally {
    closeSync(descriptor);
  }
}

function openingError(absolutePath: string, error: unknown): LongviewError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new LongviewError('input', 'not-found', `${absolutePath} does not exist; check the path or choose the file again.`, { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new LongviewError('input', 'unreadable', `${absolutePath} cannot be read (permission denied); check the file's permissions.`, { cause: error });
  }
  return new LongviewError('input', 'unreadable', `${absolutePath} cannot be opened (${code ?? 'unknown error'}); check that the file is accessible.`, { cause: error });
}
