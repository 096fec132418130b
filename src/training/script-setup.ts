/**
 * What the training scripts (train-demo, eval:demo, probe:direction) share at their edges:
 * numeric flags with usage errors, and the wasm backend with the training matMul patch.
 */
import { UsageError } from '../shared/errors.js';
import { describeBackend, initBackend } from '../model/backend.js';
import { installWasmMatMulPatch } from './wasm-matmul-patch.js';

/** A flag's positive whole number, or `fallback` when the flag is absent. */
export function wholeNumberFlag(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${flag} must be a positive whole number (got "${text}")`);
  return value;
}

/** A flag's positive number, or `fallback` when the flag is absent. */
export function positiveNumberFlag(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${flag} must be a positive number (got "${text}")`);
  return value;
}

/** Starts wasm (training runs there: the same numbers on every machine) with the matMul patch; returns how to describe it. */
export async function initTrainingBackend(): Promise<string> {
  const backend = await initBackend({ backend: 'wasm' });
  const patched = installWasmMatMulPatch();
  return `${describeBackend(backend).replace(/^backend: /, '')}${patched ? ', flagged batch-1 matMuls through XNNPACK (training patch)' : ''}`;
}
