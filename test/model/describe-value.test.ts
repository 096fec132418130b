import { describe, expect, it } from 'vitest';
import { describeValue } from '../../src/model/describe-value.js';

function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('describeValue', () => {
  it.each<[string, unknown, string]>([
    ['a short string', 'F64', '"F64"'],
    ['a long string, clipped', 'x'.repeat(100), `"${'x'.repeat(40)}…"`],
    ['a number', 12, '12'],
    ['null', null, 'null'],
    ['a short shape', [1, 3, 224], '[1, 3, 224]'],
    ['a long list', Array.from({ length: 9 }, () => 1), 'an array of 9 items'],
    ['a mixed list', [1, 'a'], 'an array of 2 items'],
    ['an object whose toString is null', { toString: null }, 'an object'],
    ['an array nested 500k deep', nested(500_000), 'an array of 1 item'],
  ])('%s', (_what, value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
