/**
 * Which files the renderer may reach, by opaque id. A host grants an id when the user opens a
 * file; afterwards the renderer names videos only by that id, so it can never ask for an arbitrary
 * path. Every use re-checks the grant: the path must still resolve to the same regular file (same
 * device and inode), so a file replaced by another or by a symbolic link to somewhere else after
 * it was opened is refused rather than served.
 */
import { randomBytes } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { LongviewError } from '../shared/errors.js';

/** A granted file as checked just now. */
export interface GrantedFile {
  /** The real path (no links), absolute. */
  path: string;
  device: number;
  inode: number;
}

export interface VideoAccess {
  /** Checks `path` is an existing regular file and returns a new opaque id for it. */
  grant(path: string): Promise<string>;
  /** The file behind `videoId`, re-checked now; throws for unknown ids and changed files. */
  identify(videoId: string): Promise<GrantedFile>;
  /** identify(videoId).path. */
  resolve(videoId: string): Promise<string>;
}

/** Random bytes per id: 144 bits, 24 base64url characters; unguessable, so ids cannot be enumerated. */
const ID_BYTES = 18;

interface Grant {
  /** As the user named it (absolute), re-resolved at every use so a swapped link is noticed. */
  requestedPath: string;
  realPath: string;
  device: number;
  inode: number;
}

export function createVideoAccess(): VideoAccess {
  const grants = new Map<string, Grant>();

  const identify = async (videoId: string): Promise<GrantedFile> => {
    const grant = typeof videoId === 'string' ? grants.get(videoId) : undefined;
    if (grant === undefined) throw new LongviewError('usage', 'unknown-video', 'This video is not open here (unknown video id); open the file again.');
    const now = await checkRegularFile(grant.requestedPath);
    if (now.path !== grant.realPath || now.device !== grant.device || now.inode !== grant.inode) {
      throw new LongviewError('input', 'video-changed', `${grant.requestedPath} was replaced, moved or relinked since it was opened; open it again.`);
    }
    return now;
  };

  return {
    async grant(path) {
      const requestedPath = resolvePath(path);
      const file = await checkRegularFile(requestedPath);
      const videoId = randomBytes(ID_BYTES).toString('base64url');
      grants.set(videoId, { requestedPath, realPath: file.path, device: file.device, inode: file.inode });
      return videoId;
    },
    identify,
    async resolve(videoId) {
      return (await identify(videoId)).path;
    },
  };
}

/** realpath, then stat (which opens nothing, so a FIFO cannot block us); only regular files pass. */
async function checkRegularFile(path: string): Promise<GrantedFile> {
  let real: string;
  let stats;
  try {
    real = await realpath(path);
    stats = await stat(real, { bigint: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') {
      throw new LongviewError('input', 'not-found', `${path} does not exist (any more); check the path or choose the file again.`, { cause: error });
    }
    throw new LongviewError('input', 'unreadable', `${path} cannot be opened (${code ?? 'unknown error'}); check that the file is accessible.`, { cause: error });
  }
  if (!stats.isFile()) {
    const what = stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a pipe (FIFO)' : stats.isSocket() ? 'a socket' : 'a device';
    throw new LongviewError('input', 'not-a-file', `${path} is ${what}, not a video file; choose a video file.`);
  }
  return { path: real, device: stats.dev, inode: stats.ino };
}
