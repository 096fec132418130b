import { mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideoAccess } from '../../src/service/video-access.js';
import { makeFifo, temporaryFolder } from '../video/test-files.js';

let folder: { path: string; remove: () => void };
beforeAll(() => {
  folder = temporaryFolder('longview-access-');
});
afterAll(() => folder.remove());

function file(name: string, text = 'video bytes'): string {
  const path = join(folder.path, name);
  writeFileSync(path, text);
  return path;
}

describe('VideoAccess', () => {
  it('grants a regular file an unguessable id and resolves it to the real path', async () => {
    const access = createVideoAccess();
    const path = file('plain.mp4');
    const id = await access.grant(path);
    expect(id).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(await access.resolve(id)).toBe(path);
    expect(await access.grant(path)).not.toBe(id);
  });

  it('refuses unknown ids', async () => {
    const access = createVideoAccess();
    await expect(access.resolve('not-granted')).rejects.toMatchObject({ kind: 'usage', reason: 'unknown-video' });
  });

  it('refuses a missing file, a folder and a FIFO at grant', async () => {
    const access = createVideoAccess();
    mkdirSync(join(folder.path, 'a-folder'));
    await expect(access.grant(join(folder.path, 'missing.mp4'))).rejects.toMatchObject({ kind: 'input', reason: 'not-found' });
    await expect(access.grant(join(folder.path, 'a-folder'))).rejects.toMatchObject({ kind: 'input', reason: 'not-a-file' });
    await expect(access.grant(makeFifo(join(folder.path, 'pipe.mp4')))).rejects.toMatchObject({ kind: 'input', reason: 'not-a-file' });
  });

  it('refuses a granted symbolic link that now points elsewhere', async () => {
    const access = createVideoAccess();
    const first = file('first.mp4');
    const secret = file('secret.txt', 'private');
    const link = join(folder.path, 'link.mp4');
    symlinkSync(first, link);
    const id = await access.grant(link);
    expect(await access.resolve(id)).toBe(first);
    unlinkSync(link);
    symlinkSync(secret, link);
    await expect(access.resolve(id)).rejects.toMatchObject({ kind: 'input', reason: 'video-changed' });
  });

  it('refuses a granted file replaced by a link or by another file', async () => {
    const access = createVideoAccess();
    const victim = file('victim.mp4');
    const id = await access.grant(victim);
    rmSync(victim);
    symlinkSync(file('other.txt', 'other'), victim);
    await expect(access.resolve(id)).rejects.toMatchObject({ reason: 'video-changed' });

    const replaced = file('replaced.mp4');
    const second = await access.grant(replaced);
    renameSync(file('new.mp4', 'new bytes'), replaced);
    await expect(access.resolve(second)).rejects.toMatchObject({ reason: 'video-changed' });
  });

  it('refuses a granted file that was deleted', async () => {
    const access = createVideoAccess();
    const gone = file('gone.mp4');
    const id = await access.grant(gone);
    rmSync(gone);
    await expect(access.resolve(id)).rejects.toMatchObject({ kind: 'input', reason: 'not-found' });
  });
});
