/**
 * Small composable checks for untrusted plain values (request payloads, files we wrote earlier).
 * A check takes the value and where it sits ("startAnalysis.windowFrames") and returns it typed,
 * or throws a UsageError naming the place and what was expected. Values are described by
 * describeValue, never stringified, so a hostile payload cannot turn a refusal into a crash.
 */
import { UsageError } from '../shared/errors.js';
import { describeValue } from '../model/describe-value.js';

export type Check<T> = (value: unknown, where: string) => T;

/** The typed result of a record check: required fields, plus optional ones that may be absent or undefined. */
type Checked<S> = { [K in keyof S]: S[K] extends Check<infer T> ? T : never };
type CheckedOptional<S> = { [K in keyof S]?: (S[K] extends Check<infer T> ? T : never) | undefined };

export function refuse(where: string, expected: string, value: unknown): never {
  throw new UsageError(`${where} must be ${expected}, not ${describeValue(value)}.`);
}

export function text(options: { maxLength: number; minLength?: number }): Check<string> {
  const minLength = options.minLength ?? 0;
  return (value, where) => {
    if (typeof value !== 'string' || value.length < minLength || value.length > options.maxLength) {
      refuse(where, `text of ${minLength} to ${options.maxLength} characters`, value);
    }
    if (value.includes('\0')) refuse(where, 'text without NUL characters', value);
    return value;
  };
}

export function finite(options: { min: number; max: number }): Check<number> {
  return (value, where) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < options.min || value > options.max) {
      refuse(where, `a number from ${options.min} to ${options.max}`, value);
    }
    return value;
  };
}

export function integer(options: { min: number; max: number }): Check<number> {
  return (value, where) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < options.min || value > options.max) {
      refuse(where, `a whole number from ${options.min} to ${options.max}`, value);
    }
    return value;
  };
}

export const flag: Check<boolean> = (value, where) => {
  if (typeof value !== 'boolean') refuse(where, 'true or false', value);
  return value;
};

export function oneOf<T extends string | number>(choices: readonly T[]): Check<T> {
  return (value, where) => {
    if (!(choices as readonly unknown[]).includes(value)) refuse(where, `one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}`, value);
    return value as T;
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, where) => (value === null ? null : check(value, where));
}

export function list<T>(item: Check<T>, maxItems: number): Check<T[]> {
  return (value, where) => {
    if (!Array.isArray(value)) refuse(where, 'a list', value);
    if (value.length > maxItems) refuse(where, `a list of at most ${maxItems} items`, value);
    return value.map((element, index) => item(element, `${where}[${index}]`));
  };
}

/**
 * A plain object with exactly these fields: every required one present, optional ones absent or
 * undefined, and no other key (an unexpected key is refused, not ignored, so a misspelt field
 * never silently falls back to a default).
 */
export function record<S extends Record<string, Check<unknown>>, O extends Record<string, Check<unknown>> = Record<never, never>>(
  required: S,
  optional?: O,
): Check<Checked<S> & CheckedOptional<O>> {
  return (value, where) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(where, 'an object', value);
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) refuse(where, 'a plain object', value);
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      if (!Object.hasOwn(required, key) && !(optional !== undefined && Object.hasOwn(optional, key))) {
        throw new UsageError(`${where} has an unexpected field ${describeValue(key)}.`);
      }
    }
    for (const [key, check] of Object.entries(required)) {
      if (!Object.hasOwn(source, key)) throw new UsageError(`${where}.${key} is missing.`);
      result[key] = check(source[key], `${where}.${key}`);
    }
    for (const [key, check] of Object.entries(optional ?? {})) {
      if (Object.hasOwn(source, key) && source[key] !== undefined) result[key] = check(source[key], `${where}.${key}`);
    }
    return result as Checked<S> & CheckedOptional<O>;
  };
}

/** `{}`: requests that take nothing still refuse anything else. */
export const empty: Check<Record<string, never>> = record({}) as Check<Record<string, never>>;
