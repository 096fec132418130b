/**
 * What an analysis store belongs to: the video, the model and the analysis parameters. A store is
 * reused only when all three are equal; its file name comes from the digest, so a changed video,
 * model or setting simply looks for a different file and never sees stale records.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export interface StoreKey {
  /** From videoIdentity(): size in bytes and a SHA-256 (hex) over the size and three 1 MiB samples. */
  video: { sizeBytes: number; sha256: string };
  /** From modelChecksum(): SHA-256 (hex) over the weight files. */
  modelChecksum: string;
  /** Plain JSON: sampling, normalization, model config essentials, whatever changes the windows. */
  parameters: Record<string, unknown>;
}

/**
 * The key with exactly its documented fields, so stray properties on the caller's objects neither
 * change the digest nor end up in the store's header (where they would stop it from matching).
 */
export function normalizedKey(key: StoreKey): StoreKey {
  return { video: { sizeBytes: key.video.sizeBytes, sha256: key.video.sha256 }, modelChecksum: key.modelChecksum, parameters: key.parameters };
}

/** SHA-256 (64 lowercase hex) of the key's canonical JSON; independent of key order in `parameters`. */
export function storeKeyDigest(key: StoreKey): string {
  return createHash('sha256').update(canonicalJson(normalizedKey(key)), 'utf8').digest('hex');
}
