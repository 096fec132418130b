/**
 * Decides what of a store file can be kept (pure: it sees lines, not files). The valid prefix is
 * kept and everything from the first defect on is dropped: after a torn or corrupt record nothing
 * is trusted, and cutting there lets new records follow good data directly.
 */
import type { WindowResult } from '../../shared/analysis.js';
import type { StoredLine } from './line-reader.js';
import { decodeRecord } from './record-codec.js';
import type { FinishedSummary } from './record-types.js';
import { storeKeyDigest, type StoreKey } from './store-key.js';

export interface StoreScan {
  /**
   * 'missing': no complete first line (an empty file, or a crash while the header was written).
   * 'foreign': a complete first line that is not a header for this key (corrupt, another format
   * version, another key). 'matching': a header for this key.
   */
  header: 'missing' | 'foreign' | 'matching';
  /** Windows 0, 1, 2, … in order; empty unless the header matches. */
  windows: WindowResult[];
  finished: FinishedSummary | undefined;
  /** Length of the good prefix, bytes: the header and every kept record. 0 unless the header matches. */
  goodBytes: number;
}

/**
 * Reads records until the first defect: an undecodable line, a second header, a window whose index
 * is not the next one (a gap or a duplicate), or anything after the finished record.
 */
export function scanStore(lines: Iterable<StoredLine>, keyDigest: string): StoreScan {
  const scan: StoreScan = { header: 'missing', windows: [], finished: undefined, goodBytes: 0 };
  for (const line of lines) {
    const record = decodeRecord(line.bytes);
    if (scan.header === 'missing') {
      scan.header = record?.kind === 'header' && digestMatches(record.key, keyDigest) ? 'matching' : 'foreign';
      if (scan.header === 'foreign') return scan;
    } else if (record?.kind === 'window' && scan.finished === undefined && record.window.index === scan.windows.length) {
      scan.windows.push(record.window);
    } else if (record?.kind === 'finished' && scan.finished === undefined) {
      scan.finished = record.summary;
    } else {
      return scan;
    }
    scan.goodBytes = line.endOffset;
  }
  return scan;
}

/** A key from a file can be odd enough (say, nested a million deep) to fail digesting: no match. */
function digestMatches(key: StoreKey, keyDigest: string): boolean {
  try {
    return storeKeyDigest(key) === keyDigest;
  } catch {
    return false;
  }
}
