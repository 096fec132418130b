/**
 * Reading the golden TimeSformer fixtures (test/fixtures/timesformer/<name>/, see its README) and
 * comparing tensors against them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend.js';
import { parseConfig, type TimesformerConfig } from '../../src/model/config.js';
import { openSafetensors } from '../../src/model/weights/safetensors.js';
import type { TensorSource } from '../../src/model/weights/tensor-source.js';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/timesformer');

export const FIXTURE_NAMES = ['divided-tiny', 'joint-tiny', 'space-only-tiny', 'divided-long', 'divided-interp', 'divided-small'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export const BACKENDS = ['cpu', 'wasm'] as const;
export type TestBackend = (typeof BACKENDS)[number];

export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

export function fixturePath(name: string, file: string): string {
  return join(FIXTURES, name, file);
}

/** Every tensor of a safetensors file, read eagerly (the fixtures are small). */
export function readTensors(path: string): Map<string, StoredTensor> {
  const source = openSafetensors(path);
  try {
    const tensors = new Map<string, StoredTensor>();
    for (const [name, entry] of source.entries) tensors.set(name, { shape: [...entry.shape], data: entry.read() });
    return tensors;
  } finally {
    source.close();
  }
}

export function fixtureConfig(name: string): TimesformerConfig {
  return parseConfig(JSON.parse(readFileSync(fixturePath(name, 'config.json'), 'utf8')), `${name}/config.json`);
}

/** The checkpoint as a lazy source; the caller closes it. */
export function fixtureWeights(name: string): TensorSource {
  return openSafetensors(fixturePath(name, 'model.safetensors'));
}

export function fixtureInput(name: string): StoredTensor {
  const input = readTensors(fixturePath(name, 'input.safetensors')).get('pixel_values');
  if (input === undefined) throw new Error(`${name}/input.safetensors has no pixel_values`);
  return input;
}

export function fixtureMeta(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath(name, 'meta.json'), 'utf8')) as Record<string, unknown>;
}

/**
 * Switches backends the way the app starts them (`initBackend`), so wasm here is the shipped
 * configuration: SIMD with one thread per core.
 */
export async function useBackend(backend: TestBackend): Promise<void> {
  await initBackend({ backend });
  await tf.ready();
}

export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let max = 0;
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= max)) max = diff; // NaN propagates as NaN
  }
  return max;
}

/** Absolute tolerances from the fixtures' README. */
export function tolerance(name: string): number {
  if (name === 'logits') return 5e-5;
  if (name === 'last_hidden_state') return 1e-4;
  if (name.startsWith('hidden_states.')) return 5e-4;
  if (name.startsWith('layers.')) return 5e-5;
  if (name === 'rollout' || name === 'rollout_raw') return 5e-5;
  throw new Error(`no tolerance for ${name}`);
}
