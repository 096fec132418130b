/**
 * Damaged videos by the hundred: seeded byte flips, cuts and insertions of real MP4 and WebM files
 * go through the probe and the decoder. Every one must end in frames (complete or partial) or a
 * classified LongviewError of kind 'input': never another exception, a hang or a stray process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LongviewError } from '../../src/shared/errors.js';
import { decodeFrames } from '../../src/video/decoder.js';
import { probeVideo } from '../../src/video/probe.js';
import { locateTools } from '../../src/video/tools.js';
import { makeVideo } from './make-videos.js';
import { randomSequence } from '../helpers/random-sequence.js';
import { temporaryFolder } from './test-files.js';

const MUTANTS_PER_SEED = 150;

/** One of: flip 1–16 random bytes, cut the file short, or insert random bytes somewhere. */
function mutate(bytes: Buffer, random: () => number): Buffer {
  const kind = Math.floor(random() * 3);
  const at = Math.floor(random() * bytes.length);
  if (kind === 0) {
    const copy = Buffer.from(bytes);
    for (let flips = 1 + Math.floor(random() * 16); flips > 0; flips--) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    return copy;
  }
  if (kind === 1) return bytes.subarray(0, at);
  const inserted = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
  return Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
}

let folder: { path: string; remove: () => void };
const seeds: string[] = [];
beforeAll(async () => {
  folder = temporaryFolder('longview-mutants-');
  const clip = { seconds: 1, fps: 10, width: 48, height: 32 } as const;
  seeds.push(await makeVideo(folder.path, { ...clip, name: 'seed-mp4', codec: 'h264', container: 'mp4', faststart: true, audio: true }));
  seeds.push(await makeVideo(folder.path, { ...clip, name: 'seed-webm', codec: 'vp9', container: 'webm' }));
});
afterAll(() => folder.remove());

describe('mutated videos', () => {
  it(`${MUTANTS_PER_SEED} mutants of each seed: frames or a classified input error, nothing else`, async () => {
    const tools = locateTools();
    const random = randomSequence(424242);
    const outcomes = new Map<string, number>();
    for (const seed of seeds) {
      const original = readFileSync(seed);
      for (let index = 0; index < MUTANTS_PER_SEED; index++) {
        const path = join(folder.path, `mutant-${index}${seed.slice(seed.lastIndexOf('.'))}`);
        writeFileSync(path, mutate(original, random));
        let outcome: string;
        try {
          const info = await probeVideo(path, { tools, timeoutMs: 10_000 });
          const stream = decodeFrames(path, info, { tools, samplingFps: 10, frameStride: 1, imageSize: 16, stallTimeoutMs: 10_000 });
          let frames = 0;
          for await (const frame of stream.frames()) {
            expect(frame.rgb).toHaveLength(16 * 16 * 3);
            expect(Number.isFinite(frame.seconds)).toBe(true);
            frames += 1;
          }
          const summary = await stream.done;
          outcome = summary.partial ? 'partial' : 'complete';
          expect(frames).toBeGreaterThan(0);
        } catch (error) {
          // Anything but a classified input error is a bug (a crash, a hang turned error, an internal mistake).
          if (!(error instanceof LongviewError) || error.kind !== 'input') throw new Error(`mutant ${index} of ${seed}: ${String(error)}`, { cause: error });
          outcome = `input/${error.reason}`;
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }
    // The mutations really do damage files in several ways, not only one.
    expect(outcomes.size).toBeGreaterThan(2);
    expect([...outcomes.values()].reduce((sum, count) => sum + count, 0)).toBe(2 * MUTANTS_PER_SEED);
    console.log('mutant outcomes:', Object.fromEntries(outcomes));
  });
});
