/** Shared assertion for the checkpoint readers' tests: `action` throws a ModelError of `reason`. */
import { expect } from 'vitest';
import { ModelError } from '../../../src/shared/errors.js';

/** `text`, when given, must occur in (string) or match (RegExp) the error message. */
export function expectModelError(action: () => unknown, reason: string, text?: string | RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ModelError);
  expect((caught as ModelError).reason).toBe(reason);
  if (text !== undefined) expect((caught as ModelError).message).toMatch(text);
}
