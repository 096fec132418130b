/**
 * Reading analysis stores without taking them: `getAnalysis` asks "is there a finished run for
 * these settings?" without loading the model or creating a file, and a resumed job shows the
 * windows an earlier run stored. Read-only and non-blocking; the store's own scanner decides what
 * is valid, so a torn tail is simply not returned (the writer will cut it when it opens the file).
 */
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import type { SamplingParams, WindowResult } from '../shared/analysis.js';
import { STORE_ENGINE_VERSION } from '../analysis/analyze.js';
import { storeFilePath } from '../analysis/store/analysis-store.js';
import { readLines } from '../analysis/store/line-reader.js';
import { decodeRecord } from '../analysis/store/record-codec.js';
import { MAXIMUM_RECORD_BYTES, type FinishedSummary } from '../analysis/store/record-types.js';
import { storeKeyDigest, type StoreKey } from '../analysis/store/store-key.js';
import { scanStore } from '../analysis/store/store-scan.js';
import { videoIdentity } from '../analysis/store/identity.js';
import type { ModelFacts } from './model-facts.js';

export interface FinishedStore {
  windows: WindowResult[];
  finished: FinishedSummary;
}

/** The finished run for this video, model and sampling, or null when there is none (or it is unfinished). */
export async function findFinishedStore(videoPath: string, model: ModelFacts, sampling: SamplingParams, cacheDirectory: string): Promise<FinishedStore | null> {
  const key: StoreKey = {
    video: await videoIdentity(videoPath),
    modelChecksum: model.checksum,
    parameters: { engine: STORE_ENGINE_VERSION, sampling, normalization: model.normalization },
  };
  const digest = storeKeyDigest(key);
  const scan = scanFile(storeFilePath(cacheDirectory, digest), () => digest);
  if (scan === undefined || scan.finished === undefined) return null;
  return { windows: scan.windows, finished: scan.finished };
}

/**
 * The first `count` windows of the store at `path`, which its writer (analyze.ts) has just
 * opened and checked: the digest is taken from its own header.
 */
export function storedWindows(path: string, count: number): WindowResult[] {
  const scan = scanFile(path, (header) => header);
  return scan === undefined ? [] : scan.windows.slice(0, count);
}

/** undefined when the file is missing or not a regular file. */
function scanFile(path: string, digestOf: (headerDigest: string) => string): ReturnType<typeof scanStore> | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(descriptor).isFile()) return undefined;
    const headerDigest = headerKeyDigest(descriptor);
    if (headerDigest === undefined) return undefined;
    return scanStore(readLines(descriptor, MAXIMUM_RECORD_BYTES), digestOf(headerDigest));
  } finally {
    closeSync(descriptor);
  }
}

function headerKeyDigest(descriptor: number): string | undefined {
  for (const line of readLines(descriptor, MAXIMUM_RECORD_BYTES)) {
    const record = decodeRecord(line.bytes);
    if (record?.kind !== 'header') return undefined;
    try {
      return storeKeyDigest(record.key);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
