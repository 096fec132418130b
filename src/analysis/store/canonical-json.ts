/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, numbers as
 * JSON.stringify writes them (the shortest text that reads back to the same double). Two equal
 * values always give the same text, whatever order their keys were built in, so the text can be
 * hashed into a store key.
 */
import { LongviewError } from '../../shared/errors.js';

/**
 * Text of `value`. Object properties whose value is undefined are left out (as JSON.stringify
 * does); anything JSON cannot hold exactly (NaN, Infinity, bigint, functions, class instances such
 * as typed arrays or Dates, undefined inside arrays) is refused, because a lossy key could make two
 * different analyses share one store.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unrepresentable(String(value));
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((element: unknown) => (element === undefined ? refuse('undefined inside an array') : canonicalJson(element))).join(',')}]`;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const members = Object.keys(value)
      .sort()
      .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
      .map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`);
    return `{${members.join(',')}}`;
  }
  return refuse(typeof value === 'object' ? 'an object that is not plain data' : `a ${typeof value}`);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function refuse(what: string): never {
  throw unrepresentable(what);
}

function unrepresentable(what: string): LongviewError {
  return new LongviewError('internal', 'unrepresentable-key', `The analysis settings contain ${what}, which cannot be written as JSON; this is a bug in longview, please report it.`);
}
