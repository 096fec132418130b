/**
 * The user's segment edits, one file per video in `<dataFolder>/edits/<identity>.json`. Keyed by
 * the video's identity (size + SHA-256 of sampled bytes, src/analysis/store/identity.ts), not its
 * path, so a renamed or moved file keeps its edits and a different file at the same path does not
 * inherit them.
 */
import { join } from 'node:path';
import type { SavedEdits } from '../shared/api.js';
import { videoIdentity } from '../analysis/store/identity.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { checkSavedEdits } from './request-validation.js';

export class EditsStore {
  readonly folder: string;

  constructor(dataFolder: string) {
    this.folder = join(dataFolder, 'edits');
  }

  /** null when the video has no saved edits, or when its file was unreadable (then moved aside). */
  async load(videoPath: string): Promise<SavedEdits | null> {
    const read = readJsonFile(await this.#pathFor(videoPath), checkSavedEdits);
    return read.status === 'read' ? read.value : null;
  }

  /** `edits` must already be validated; the save time is the engine's clock, returned as ISO 8601. */
  async save(videoPath: string, edits: SavedEdits, now: Date = new Date()): Promise<{ savedAt: string }> {
    const savedAt = now.toISOString();
    writeJsonFile(await this.#pathFor(videoPath), { ...edits, savedAt });
    return { savedAt };
  }

  async #pathFor(videoPath: string): Promise<string> {
    const identity = await videoIdentity(videoPath);
    return join(this.folder, `${identity.sha256}.json`);
  }
}
