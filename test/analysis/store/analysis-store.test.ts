/**
 * The analysis store on real files: round trips, finishing, ordering, every torn-tail cut and every
 * flipped byte, records out of order, foreign or torn headers, fresh starts and the lock.
 */
import { existsSync, mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnalysisStore, type FinishedSummary, type StoreKey } from '../../../src/analysis/store/analysis-store.js';
import { crc32 } from '../../../src/files/crc32.js';
import { storeKeyDigest } from '../../../src/analysis/store/identity.js';
import { encodeRecord } from '../../../src/analysis/store/record-codec.js';
import type { StoreRecord } from '../../../src/analysis/store/record-types.js';
import { LongviewError } from '../../../src/shared/errors.js';
import { sampleKey, sampleWindow } from './sample-windows.js';

const SMALL = { classes: 6, frames: 3, patches: 2 };
const KEY = sampleKey();
const OTHER_KEY = sampleKey({ samplingFps: 30, frameStride: 2, windowFrames: 96 });
const SUMMARY: FinishedSummary = { partialReason: null, analyzedSeconds: 19.2, framesDelivered: 576, lastFrameSeconds: 19.166, backend: 'wasm (SIMD, 2 threads)' };

let cacheDirectory: string;
const openStores: AnalysisStore[] = [];

beforeEach(() => {
  cacheDirectory = mkdtempSync(join(tmpdir(), 'longview-store-'));
});
afterEach(() => {
  for (const store of openStores.splice(0)) store.close();
  rmSync(cacheDirectory, { recursive: true, force: true });
});

function open(key: StoreKey = KEY, resume = true): AnalysisStore {
  const store = AnalysisStore.open(cacheDirectory, key, { resume });
  openStores.push(store);
  return store;
}

/** Writes `count` small windows (and optionally the finished record) and returns the file's bytes. */
function writeStore(count: number, options: { finish?: boolean; shape?: typeof SMALL } = {}): { path: string; bytes: Buffer } {
  const store = open(KEY, false);
  for (let index = 0; index < count; index++) store.append(sampleWindow(index, options.shape ?? SMALL));
  if (options.finish === true) store.finish(SUMMARY);
  store.close();
  return { path: store.path, bytes: readFileSync(store.path) };
}

/** Offsets where each line starts, plus the file length. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let position = bytes.indexOf(0x0a); position !== -1; position = bytes.indexOf(0x0a, position + 1)) starts.push(position + 1);
  return starts;
}

/** A line for any JSON value with a correct checksum, so only the content can make it unusable. */
function framedLine(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.concat([Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} `), json, Buffer.from('\n')]);
}

const line = (record: StoreRecord): Buffer => Buffer.from(encodeRecord(record));
const header = (key: StoreKey = KEY): Buffer => line({ kind: 'header', format: 'longview-store', version: 1, key, createdAt: '2024-05-01T10:00:00.000Z' });
const windowLine = (index: number): Buffer => line({ kind: 'window', window: sampleWindow(index, SMALL) });
const finishedLine = line({ kind: 'finished', summary: SUMMARY });

function thrownBy(action: () => unknown): LongviewError {
  try {
    action();
  } catch (error) {
    if (error instanceof LongviewError) return error;
    throw error;
  }
  throw new Error('expected a LongviewError');
}

describe('AnalysisStore round trip', () => {
  it('gives back realistic windows exactly after a reopen (float32 logits, heatmap bytes)', () => {
    const windows = Array.from({ length: 40 }, (_, index) => sampleWindow(index)); // ~1.4 MB: crosses read chunks
    const store = open(KEY, true);
    expect(store.windows).toEqual([]);
    for (const window of windows) store.append(window);
    expect(store.windows).toHaveLength(40);
    store.close();

    const reopened = open(KEY, true);
    expect(reopened.windows).toStrictEqual(windows);
    expect(reopened.finished).toBeUndefined();
    expect(reopened.droppedBytes).toBe(0);
    expect(reopened.setAsidePath).toBeUndefined();
  });

  it('lives at <cache>/analyses/<first 32 hex of the key digest>.lvstore, private to the user', () => {
    const store = open();
    expect(store.path).toBe(join(cacheDirectory, 'analyses', `${storeKeyDigest(KEY).slice(0, 32)}.lvstore`));
    if (process.platform !== 'win32') {
      expect(statSync(dirname(store.path)).mode & 0o777).toBe(0o700);
      expect(statSync(store.path).mode & 0o777).toBe(0o600);
    }
  });

  it('remembers that the analysis finished, and refuses appends after it', () => {
    writeStore(3, { finish: true });
    const store = open();
    expect(store.windows).toHaveLength(3);
    expect(store.finished).toStrictEqual(SUMMARY);
    expect(thrownBy(() => store.append(sampleWindow(3, SMALL))).reason).toBe('store-finished');
    expect(thrownBy(() => store.finish(SUMMARY)).reason).toBe('store-finished');
  });

  it('finishes a store with no windows', () => {
    const store = open();
    store.finish({ partialReason: 'the file ends early: decoded 0.0 of 30.0 s', analyzedSeconds: 0, framesDelivered: 0, lastFrameSeconds: null, backend: 'wasm (SIMD, 2 threads)' });
    store.close();
    expect(open().finished?.partialReason).toContain('ends early');
  });

  it.each([
    ['a gap', 1],
    ['a repeat', 0],
  ])('refuses to append %s in the indices', (_name, index) => {
    const store = open();
    store.append(sampleWindow(0, SMALL));
    const error = thrownBy(() => store.append(sampleWindow(index === 1 ? 2 : index, SMALL)));
    expect([error.kind, error.reason]).toEqual(['internal', 'store-order']);
    expect(store.windows).toHaveLength(1);
  });

  it('refuses to append after close, and close is idempotent', () => {
    const store = open();
    store.close();
    store.close();
    expect(thrownBy(() => store.append(sampleWindow(0, SMALL))).reason).toBe('store-closed');
  });

  it('refuses an unencodable window without writing anything', () => {
    const store = open();
    const window = sampleWindow(0, SMALL);
    window.logits[0] = Number.NaN;
    expect(thrownBy(() => store.append(window)).reason).toBe('unstorable-record');
    store.append(sampleWindow(0, SMALL));
    store.close();
    expect(open().windows).toStrictEqual([sampleWindow(0, SMALL)]);
  });
});

describe('AnalysisStore damage', () => {
  it('drops a torn last record at every truncation point, keeps the rest, cuts the file and appends after it', () => {
    const { path, bytes } = writeStore(3);
    const starts = lineStarts(bytes);
    const lastStart = starts[starts.length - 2]!;
    expect(bytes.length - lastStart).toBeGreaterThan(100);
    for (let length = lastStart + 1; length < bytes.length; length++) {
      writeFileSync(path, bytes.subarray(0, length));
      const store = open();
      expect(store.windows.map((window) => window.index)).toEqual([0, 1]);
      expect(store.droppedBytes).toBe(length - lastStart);
      expect(statSync(path).size).toBe(lastStart);
      store.append(sampleWindow(2, SMALL));
      store.close();
      expect(readFileSync(path).equals(bytes)).toBe(true);
    }
  });

  it('drops a torn realistic record at random cut points', () => {
    const { path, bytes } = writeStore(2, { shape: { classes: 400, frames: 96, patches: 14 } });
    const starts = lineStarts(bytes);
    const lastStart = starts[starts.length - 2]!;
    for (const fraction of [0.001, 0.25, 0.5, 0.75, 0.999]) {
      const length = lastStart + 1 + Math.floor(fraction * (bytes.length - lastStart - 2));
      writeFileSync(path, bytes.subarray(0, length));
      const store = open();
      expect(store.windows).toStrictEqual([sampleWindow(0)]);
      store.close();
    }
  });

  it('drops the record with a flipped byte, at every byte of it, and everything after it', () => {
    const { path, bytes } = writeStore(5);
    const starts = lineStarts(bytes);
    // Lines: header, windows 0..4. Window 2 is line 3.
    const [start, end] = [starts[3]!, starts[4]!];
    for (let position = start; position < end; position++) {
      const damaged = Buffer.from(bytes);
      damaged[position] = damaged[position]! ^ 0x01;
      writeFileSync(path, damaged);
      const store = open();
      expect(store.windows).toStrictEqual([sampleWindow(0, SMALL), sampleWindow(1, SMALL)]);
      expect(store.droppedBytes).toBe(bytes.length - start);
      expect(statSync(path).size).toBe(start);
      store.close();
    }
  });

  it.each<[string, Buffer[], number[], boolean]>([
    ['a repeated index', [windowLine(0), windowLine(1), windowLine(1), windowLine(2)], [0, 1], false],
    ['a gap', [windowLine(0), windowLine(2), windowLine(3)], [0], false],
    ['a first window that is not 0', [windowLine(1)], [], false],
    ['a second header', [windowLine(0), header(), windowLine(1)], [0], false],
    ['a window after the finished record', [windowLine(0), finishedLine, windowLine(1)], [0], true],
    ['two finished records', [windowLine(0), finishedLine, finishedLine], [0], true],
    ['a blank line', [windowLine(0), Buffer.from('\n'), windowLine(1)], [0], false],
  ])('keeps records only up to %s', (_name, records, kept, finished) => {
    const path = open().path;
    openStores.pop()!.close();
    writeFileSync(path, Buffer.concat([header(), ...records]));
    const store = open();
    expect(store.windows.map((window) => window.index)).toEqual(kept);
    expect(store.finished !== undefined).toBe(finished);
    expect(store.droppedBytes).toBeGreaterThan(0);
  });
});

describe('AnalysisStore keys and fresh starts', () => {
  it('keeps stores of different keys apart', () => {
    const first = open(KEY);
    first.append(sampleWindow(0, SMALL));
    const second = open(OTHER_KEY);
    expect(second.path).not.toBe(first.path);
    expect(second.windows).toEqual([]);
  });

  it.each<[string, (bytes: Buffer) => Buffer]>([
    ['a header for another key', (bytes) => Buffer.concat([header(OTHER_KEY), bytes.subarray(lineStarts(bytes)[1])])],
    // The header's first byte is a CRC hex digit, so change it to another one: writing '0' over a '0' (1 run in 16) spoiled nothing.
    ['a corrupt header', (bytes) => Buffer.concat([Buffer.from(bytes[0] === 0x30 ? '1' : '0'), bytes.subarray(1)])],
    ['a header of a future version', (bytes) => Buffer.concat([framedLine({ kind: 'header', format: 'longview-store', version: 2, key: KEY, createdAt: 'x' }), bytes.subarray(lineStarts(bytes)[1])])],
    ['not a store at all', () => Buffer.from('hello\nworld\n')],
  ])('sets aside a file starting with %s and starts fresh', (_name, spoil) => {
    const { path, bytes } = writeStore(3);
    const foreign = spoil(bytes);
    writeFileSync(path, foreign);
    const store = open();
    expect(store.windows).toEqual([]);
    expect(store.droppedBytes).toBe(0);
    expect(store.setAsidePath?.startsWith(`${path}.corrupt-`)).toBe(true);
    expect(readFileSync(store.setAsidePath!).equals(foreign)).toBe(true);
    store.append(sampleWindow(0, SMALL));
    store.close();
    expect(open().windows).toHaveLength(1);
  });

  it('starts over without setting anything aside when only a torn header is there', () => {
    const path = open().path;
    openStores.pop()!.close();
    const torn = header().subarray(0, 40);
    writeFileSync(path, torn);
    const store = open();
    expect(store.setAsidePath).toBeUndefined();
    expect(store.droppedBytes).toBe(torn.length);
    expect(store.windows).toEqual([]);
  });

  it('starts a fresh file when resume is false', () => {
    const { path, bytes } = writeStore(3, { finish: true });
    const store = open(KEY, false);
    expect(store.windows).toEqual([]);
    expect(store.finished).toBeUndefined();
    expect(store.droppedBytes).toBe(0);
    expect(statSync(path).size).toBe(lineStarts(bytes)[1]);
    store.append(sampleWindow(0, SMALL));
    store.close();
    expect(open().windows).toStrictEqual([sampleWindow(0, SMALL)]);
  });

  it('refuses a second open of the same store while the first is open, and allows it after close', () => {
    const first = open();
    const error = thrownBy(() => open());
    expect([error.kind, error.reason]).toEqual(['usage', 'busy']);
    expect(error.message).toContain(`pid ${process.pid}`);
    first.close();
    expect(existsSync(`${first.path}.lock`)).toBe(false);
    open().close();
  });

  it('refuses a key that cannot be stored before creating any file, and releases the lock', () => {
    const badKey: StoreKey = { ...KEY, video: { sizeBytes: 1, sha256: 'not hex' } };
    expect(thrownBy(() => open(badKey)).reason).toBe('unstorable-record');
    expect(readdirSync(join(cacheDirectory, 'analyses'))).toEqual([]);
  });

  it('does not leave the lock behind when opening fails', () => {
    const path = open().path;
    openStores.pop()!.close();
    rmSync(path);
    mkdirSync(path); // a folder where the store file should be
    const error = thrownBy(() => open());
    expect([error.kind, error.reason]).toEqual(['usage', 'store-unwritable']);
    expect(error.message).toContain(path);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
