/**
 * The attack files from test/fixtures/hostile/make.py. Each is refused as a bare pickle, inside a
 * torch-style zip, and through the top-level checkpoint loader; the error names the refused global
 * or opcode; and the canary file the live ones create under Python never appears.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../src/model/weights/load-checkpoint.js';
import { openTorchCheckpoint, readTorchPickle } from '../../../src/model/weights/torch-checkpoint.js';
import { expectModelError } from './expect-model-error.js';

const hostile = fileURLToPath(new URL('../../fixtures/hostile/', import.meta.url));
const table = JSON.parse(readFileSync(`${hostile}hostile.json`, 'utf8')) as Record<string, { live: boolean; reason: string; message: string }>;
const payloads = Object.entries(table);

function canaries(): string[] {
  return [process.cwd(), hostile].flatMap((folder) => readdirSync(folder).filter((name) => name.startsWith('longview-canary')));
}

describe('hostile pickles', () => {
  const before = canaries();
  afterAll(() => expect(canaries()).toEqual(before));

  it('cover the attacks we promise to stop', () => {
    const names = payloads.map(([name]) => name);
    for (const required of ['os-system', 'posix-system', 'builtins-eval', 'builtins-exec', 'getattr-chain', 'nested-pickle', 'nested-c-pickle', 'reduce-subprocess', 'build-on-list', 'inst-opcode', 'obj-opcode', 'oversized-binunicode', 'huge-long4', 'deep-marks', 'memo-out-of-range', 'torch-dunder-globals']) {
      expect(names).toContain(required);
    }
    // make.py proved these harmful under Python's own pickle.loads.
    expect(payloads.filter(([, spec]) => spec.live).length).toBeGreaterThanOrEqual(10);
  });

  it.each(payloads)('%s: refused as a bare pickle', (name, spec) => {
    expectModelError(() => readTorchPickle(readFileSync(`${hostile}${name}.pkl`), name), spec.reason, spec.message);
  });

  it.each(payloads)('%s: refused inside a torch zip', (name, spec) => {
    expectModelError(() => openTorchCheckpoint(`${hostile}${name}.pt`).close(), spec.reason, spec.message);
  });

  it.each(payloads)('%s: refused by the checkpoint loader', (name, spec) => {
    expectModelError(() => openCheckpoint(`${hostile}${name}.pt`).source.close(), spec.reason, spec.message);
  });

  it('never creates a canary', () => {
    expect(canaries()).toEqual(before);
    expect(before).toEqual([]);
  });
});
