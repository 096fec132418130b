/**
 * kill -9 at random moments: a child process appends realistic windows in a loop and is SIGKILLed
 * at a random delay after it opened the store. After every kill the store must hold exactly a
 * prefix of the windows, every index the child reported as appended, at most one more (the record
 * in flight), and nothing it had before; the next child resumes where it stopped. A final
 * uninterrupted child completes the analysis, and the file then equals an uninterrupted run's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisStore } from '../../../src/analysis/store/analysis-store.js';
import { encodeRecord } from '../../../src/analysis/store/record-codec.js';
import { startFixture } from './fixture-process.js';
import { CRASH_SUMMARY, sampleKey, sampleWindow } from './sample-windows.js';

const TRIALS = 24;
/** Never reached while trials run: the child is always killed first. */
const ENDLESS = 1_000_000;
/** Longest wait before the kill, milliseconds: a few dozen appends of ~35 KB with fsync. */
const MAXIMUM_DELAY_MS = 60;

let cacheDirectory: string;
beforeAll(() => {
  cacheDirectory = mkdtempSync(join(tmpdir(), 'longview-crash-'));
});
afterAll(() => {
  rmSync(cacheDirectory, { recursive: true, force: true });
});

/** Seeded, so a failing trial sequence can be replayed. */
function delays(seed: number): number[] {
  let state = seed;
  return Array.from({ length: TRIALS }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * MAXIMUM_DELAY_MS);
  });
}

/** Encoded window lines, cached by index: what an uninterrupted run writes after its header. */
const expectedLines: Buffer[] = [];
function expectedLine(index: number): Buffer {
  expectedLines[index] ??= Buffer.from(encodeRecord({ kind: 'window', window: sampleWindow(index) }));
  return expectedLines[index];
}

/** The store file without its header line (the header differs only in createdAt). */
function bodyOf(path: string): Buffer {
  const bytes = readFileSync(path);
  return bytes.subarray(bytes.indexOf(0x0a) + 1);
}

async function runChild(total: number, delayMilliseconds: number | undefined): Promise<{ printed: number[]; openedWith: number; code: number | null }> {
  const child = startFixture('append-loop.fixture.ts', [cacheDirectory, String(total)]);
  const opened = await child.lineMatching((line) => line.startsWith('opened '));
  if (delayMilliseconds !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, delayMilliseconds));
    child.child.kill('SIGKILL');
  }
  const { code } = await child.exited;
  const printed = child.lines.filter((line) => /^\d+$/.test(line)).map(Number);
  return { printed, openedWith: Number(opened.slice('opened '.length)), code };
}

describe('kill -9 while appending', () => {
  const seed = 20240501;

  it(`loses at most the window in flight, over ${TRIALS} random kills (seed ${seed})`, async () => {
    let stored = 0;
    for (const [trial, delay] of delays(seed).entries()) {
      const { printed, openedWith } = await runChild(ENDLESS, delay);
      const context = `trial ${trial}, kill after ${delay} ms, printed ${printed[0]}..${printed[printed.length - 1]}`;
      expect(openedWith, context).toBe(stored); // the child resumed exactly where the last one stopped

      const store = AnalysisStore.open(cacheDirectory, sampleKey(), { resume: true });
      try {
        const count = store.windows.length;
        const lastPrinted = printed[printed.length - 1] ?? stored - 1;
        expect(count, context).toBeGreaterThanOrEqual(lastPrinted + 1); // every reported window is there
        expect(count, context).toBeLessThanOrEqual(lastPrinted + 2); // plus at most the one in flight
        expect(store.droppedBytes, context).toBeLessThan(expectedLine(count).length); // at most one torn record
        // The file holds exactly the first `count` windows, byte for byte.
        const expected = Buffer.concat(Array.from({ length: count }, (_, index) => expectedLine(index)));
        expect(bodyOf(store.path).equals(expected), context).toBe(true);
        if (count > 0) expect(store.windows[count - 1], context).toStrictEqual(sampleWindow(count - 1));
        stored = count;
      } finally {
        store.close();
      }
    }
    expect(stored).toBeGreaterThan(TRIALS); // the kills did land while appending

    const final = await runChild(stored + 5, undefined);
    expect(final.code).toBe(0);
    const store = AnalysisStore.open(cacheDirectory, sampleKey(), { resume: true });
    try {
      expect(store.windows.length).toBe(stored + 5);
      expect(store.finished).toStrictEqual(CRASH_SUMMARY);
      const uninterrupted = Buffer.concat([
        ...Array.from({ length: stored + 5 }, (_, index) => expectedLine(index)),
        Buffer.from(encodeRecord({ kind: 'finished', summary: CRASH_SUMMARY })),
      ]);
      expect(bodyOf(store.path).equals(uninterrupted)).toBe(true);
    } finally {
      store.close();
    }
  });
});
