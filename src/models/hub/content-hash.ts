/**
 * What a Hub ETag promises about a file's bytes, and the incremental hash that checks it.
 *
 * The Hub's ETag is the file's identity: for LFS files (the weights) the SHA-256 of the content,
 * 64 hex digits; for small files kept in git (config.json) the git blob id, the SHA-1 of
 * "blob <size>\0" followed by the content, 40 hex digits. Anything else (a proxy or mirror with
 * its own ETags) cannot be checked by hash; the size still is.
 *
 * Pure apart from node:crypto.
 */
import { createHash, type Hash } from 'node:crypto';

export type ChecksumKind = 'sha256' | 'git-sha1' | 'none';

/** `W/"abc"` or `"abc"` → `abc`. */
export function normalizeEtag(raw: string): string {
  const withoutWeak = raw.trim().replace(/^W\//, '');
  return withoutWeak.replace(/^"(.*)"$/, '$1');
}

export function checksumKind(etag: string): ChecksumKind {
  if (/^[0-9a-f]{64}$/.test(etag)) return 'sha256';
  if (/^[0-9a-f]{40}$/.test(etag)) return 'git-sha1';
  return 'none';
}

/** Hashes bytes as they arrive, in the way the ETag's kind asks for. */
export class ContentHasher {
  readonly kind: ChecksumKind;
  private readonly hash: Hash | undefined;

  /** expectedSize (bytes) goes into the git blob header, which precedes the content. */
  constructor(kind: ChecksumKind, expectedSize: number) {
    this.kind = kind;
    if (kind === 'sha256') {
      this.hash = createHash('sha256');
    } else if (kind === 'git-sha1') {
      this.hash = createHash('sha1').update(`blob ${expectedSize}\0`);
    } else {
      this.hash = undefined;
    }
  }

  update(bytes: Uint8Array): void {
    this.hash?.update(bytes);
  }

  /** Hex digest, or undefined for 'none'. Call once. */
  digest(): string | undefined {
    return this.hash?.digest('hex');
  }
}

/** The git blob id of a whole buffer (for fixtures and small files). */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
