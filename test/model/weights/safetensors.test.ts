import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstDuplicateKey, openSafetensors, writeSafetensors } from '../../../src/model/weights/safetensors.js';
import { expectModelError } from './expect-model-error.js';

const folder = mkdtempSync(join(tmpdir(), 'longview-safetensors-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let counter = 0;
function path(): string {
  return join(folder, `file-${counter++}.safetensors`);
}

/** A safetensors file from a header object (or raw header text) and a data section. */
function build(header: object | string, data: Uint8Array, headerLength?: bigint): string {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(headerLength ?? BigInt(json.length));
  const target = path();
  writeFileSync(target, Buffer.concat([length, json, data]));
  return target;
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('safetensors reader on valid files', () => {
  it('round-trips writeSafetensors, with metadata', () => {
    const target = path();
    const a = Float32Array.from([1, -2, 3.5, 4, 5, 6]);
    const b = Float32Array.from([0.25]);
    writeSafetensors(target, [{ name: 'b', shape: [1], data: b }, { name: 'a', shape: [2, 3], data: a }], { format: 'pt' });
    const source = openSafetensors(target);
    try {
      expect(source.metadata).toEqual({ format: 'pt' });
      expect(source.entries.get('a')!.shape).toEqual([2, 3]);
      expect(source.entries.get('a')!.read()).toEqual(a);
      expect(source.entries.get('b')!.read()).toEqual(b);
    } finally {
      source.close();
    }
  });

  it('widens F16 and BF16 to float32, in any tensor order', () => {
    // F16 1.5 = 0x3e00, -2 = 0xc000; BF16 1.0 = 0x3f80, -3.5 = 0xc060.
    const data = Uint8Array.from([0x80, 0x3f, 0x60, 0xc0, 0x00, 0x3e, 0x00, 0xc0]);
    const source = openSafetensors(build({ half: { dtype: 'F16', shape: [2], data_offsets: [4, 8] }, brain: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, data));
    try {
      expect(Array.from(source.entries.get('half')!.read())).toEqual([1.5, -2]);
      expect(Array.from(source.entries.get('brain')!.read())).toEqual([1, -3.5]);
    } finally {
      source.close();
    }
  });

  it('accepts zero-element tensors', () => {
    const source = openSafetensors(build({ empty: f32([0, 5], 0, 0) }, new Uint8Array(0)));
    expect(source.entries.get('empty')!.read()).toEqual(new Float32Array(0));
    source.close();
  });
});

describe('safetensors reader on hostile or broken files', () => {
  const eight = new Uint8Array(8);
  const cases: [string, () => string, string, RegExp][] = [
    ['a file shorter than the length field', () => { const p = path(); writeFileSync(p, new Uint8Array(5)); return p; }, 'truncated', /too short/],
    ['a truncated data section', () => build({ a: f32([4], 0, 16) }, new Uint8Array(10)), 'truncated', /ends at data byte 16 but the data section has 10/],
    ['a header length larger than the file', () => build({ a: f32([2], 0, 8) }, eight, 5000n), 'truncated', /header claims 5000 bytes/],
    ['a header length of 2^60', () => build({ a: f32([2], 0, 8) }, eight, 1n << 60n), 'corrupt', /exceeds/],
    ['invalid JSON', () => build('{"a": ', eight), 'corrupt', /not valid UTF-8 JSON/],
    ['invalid UTF-8', () => build(Buffer.from([0x7b, 0xff, 0x7d]).toString('latin1'), eight), 'corrupt', /not valid UTF-8 JSON|not a JSON object/],
    ['a header that is an array', () => build('[1, 2]', eight), 'corrupt', /not a JSON object/],
    ['overlapping offsets', () => build({ a: f32([2], 0, 8), b: f32([1], 4, 8) }, eight), 'corrupt', /overlaps/],
    ['a gap between tensors', () => build({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, new Uint8Array(12)), 'corrupt', /gap before tensor "b"/],
    ['offsets past the end', () => build({ a: f32([4], 8, 24) }, new Uint8Array(16)), 'truncated', /ends at data byte 24/],
    ['bytes after the last tensor', () => build({ a: f32([1], 0, 4) }, eight), 'corrupt', /4 bytes after the last tensor/],
    ['shape × dtype ≠ bytes', () => build({ a: f32([3], 0, 8) }, eight), 'corrupt', /\[3\] × F32 = 12 bytes but its offsets span 8/],
    ['offsets that end before they begin', () => build({ a: f32([0], 8, 0) }, eight), 'corrupt', /ends \(0\) before it begins \(8\)/],
    ['a negative size', () => build({ a: f32([-2], 0, 8) }, eight), 'corrupt', /invalid shape/],
    ['non-integer offsets', () => build({ a: f32([2], 0, 7.5) }, eight), 'corrupt', /invalid data_offsets/],
    ['unknown dtype I64', () => build({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, eight), 'unsupported-dtype', /"I64"/],
    ['unknown dtype F64', () => build({ a: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, eight), 'unsupported-dtype', /"F64"/],
    ['metadata that is not strings', () => build({ __metadata__: { format: 1 }, a: f32([2], 0, 8) }, eight), 'corrupt', /__metadata__\.format/],
    ['a tensor named twice', () => build('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', eight), 'corrupt', /names "a" twice/],
    ['a field named twice inside a tensor', () => build('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"shape":[2],"data_offsets":[0,8]}}', eight), 'corrupt', /names "shape" twice/],
    ['a metadata key named twice', () => build('{"__metadata__":{"format":"pt","format":"evil"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', eight), 'corrupt', /names "format" twice/],
    ['a shape nested 500k deep', () => build(`{"a":{"dtype":"F32","shape":${'['.repeat(500_000)}${']'.repeat(500_000)},"data_offsets":[0,8]}}`, eight), 'corrupt', /invalid shape an array of 1 item/],
    ['a dtype nested 500k deep', () => build(`{"a":{"dtype":${'['.repeat(500_000)}${']'.repeat(500_000)},"shape":[2],"data_offsets":[0,8]}}`, eight), 'unsupported-dtype', /dtype an array of 1 item/],
  ];
  it.each(cases)('%s', (_, make, reason, text) => {
    const target = make();
    expectModelError(() => openSafetensors(target).close(), reason, text);
  });

  it('fails fast on a 2^60 header length without allocating for it', () => {
    const target = build({ a: f32([2], 0, 8) }, eight, 1n << 60n);
    const before = process.memoryUsage().arrayBuffers;
    expectModelError(() => openSafetensors(target), 'corrupt', /exceeds/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 1024 * 1024);
  });

});

describe('firstDuplicateKey', () => {
  it.each<[string, string | undefined]>([
    ['{}', undefined],
    ['{"a":1,"b":2}', undefined],
    ['{"a":1,"a":2}', 'a'],
    ['{"a":{"x":1,"x":2}}', 'x'],
    ['{"a":{"x":1},"b":{"x":1}}', undefined],
    ['{"a":[{"x":1},{"x":2}]}', undefined],
    ['{"a":["a","a"]}', undefined],
    ['{"a\\"":1,"a\\"":2}', 'a"'],
    ['{"s":"{\\"k\\":1,\\"k\\":2}"}', undefined],
  ])('%s → %s', (text, duplicate) => {
    expect(firstDuplicateKey(text)).toBe(duplicate);
  });
});
