/**
 * Store lines: exact round trips (doubles bit for bit, heatmap bytes), the line format, refusal to
 * write what could not be read back, and a table of defects that decoding must reject even when
 * the checksum is right.
 */
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/files/crc32.js';
import { decodeRecord, encodeRecord } from '../../../src/analysis/store/record-codec.js';
import type { StoreRecord } from '../../../src/analysis/store/record-types.js';
import type { WindowResult } from '../../../src/shared/analysis.js';
import { LongviewError } from '../../../src/shared/errors.js';
import { sampleKey, sampleWindow } from './sample-windows.js';

const SMALL = { classes: 5, frames: 2, patches: 2 };

/** A line for arbitrary JSON text with a correct checksum, so only validation can reject it. */
function framed(json: string): string {
  return `${crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0')} ${json}`;
}

/** The text of an encoded record without its newline. */
function lineOf(record: StoreRecord): string {
  return Buffer.from(encodeRecord(record)).toString('utf8').slice(0, -1);
}

/** A valid window record as a mutable JSON value, for the defect table. */
function windowJson(): { kind: string; window: Record<string, unknown> & { heatmap: Record<string, unknown> } } {
  return JSON.parse(lineOf({ kind: 'window', window: sampleWindow(3, SMALL) }).slice(9));
}

function headerJson(): Record<string, unknown> & { key: Record<string, unknown> & { video: Record<string, unknown> } } {
  return JSON.parse(lineOf({ kind: 'header', format: 'longview-store', version: 1, key: sampleKey(), createdAt: '2024-05-01T10:00:00.000Z' }).slice(9));
}

function finishedJson(): { kind: string; summary: Record<string, unknown> } {
  return { kind: 'finished', summary: { partialReason: null, analyzedSeconds: 12.5, framesDelivered: 375, lastFrameSeconds: 12.466, backend: 'wasm (SIMD, 2 threads)' } };
}

describe('encodeRecord / decodeRecord', () => {
  it.each<[string, StoreRecord]>([
    ['header', { kind: 'header', format: 'longview-store', version: 1, key: sampleKey({ b: [1, 2.5, 'x'], a: { nested: true } }), createdAt: '2024-05-01T10:00:00.000Z' }],
    ['realistic window', { kind: 'window', window: sampleWindow(7) }],
    ['finished, complete', { kind: 'finished', summary: { partialReason: null, analyzedSeconds: 3600, framesDelivered: 108000, lastFrameSeconds: 3599.966, backend: 'wasm (SIMD, 2 threads)' } }],
    ['finished, partial, no frames', { kind: 'finished', summary: { partialReason: 'the file ends early: decoded 0.0 of 30.0 s', analyzedSeconds: 0, framesDelivered: 0, lastFrameSeconds: null, backend: 'wasm (SIMD, 2 threads)' } }],
  ])('round-trips a %s record exactly', (_name, record) => {
    const decoded = decodeRecord(lineOf(record));
    expect(decoded).toStrictEqual(record);
  });

  it('writes `<8 hex crc32 of the JSON> <JSON>\\n` with one newline', () => {
    const text = Buffer.from(encodeRecord({ kind: 'window', window: sampleWindow(1, SMALL) })).toString('utf8');
    const match = /^([0-9a-f]{8}) (\{.*\})\n$/s.exec(text);
    expect(match).not.toBeNull();
    expect(Number.parseInt(match![1]!, 16)).toBe(crc32(Buffer.from(match![2]!, 'utf8')));
    expect(text.split('\n')).toHaveLength(2);
  });

  it('keeps every double bit-exact, float32-derived or not', () => {
    const awkward = [Math.fround(0.1), Math.fround(-1e-45), Math.fround(3.4e38), 0.1 + 0.2, 5e-324, -Number.MAX_VALUE, 1 / 3, 123456789.123];
    const window: WindowResult = { ...sampleWindow(0, SMALL), logits: awkward };
    const decoded = decodeRecord(lineOf({ kind: 'window', window }));
    expect(decoded?.kind).toBe('window');
    const logits = decoded?.kind === 'window' ? decoded.window.logits : [];
    const bits = (value: number): string => Buffer.from(new Float64Array([value]).buffer).toString('hex');
    expect(logits.map(bits)).toEqual(awkward.map(bits));
  });

  it('stores only the bytes of a heatmap view, and gives back a Uint8Array of its own', () => {
    const backing = Uint8Array.from({ length: 20 }, (_, position) => position);
    const window = sampleWindow(0, SMALL);
    window.heatmap = { ...window.heatmap, data: backing.subarray(4, 12) };
    const decoded = decodeRecord(lineOf({ kind: 'window', window }));
    const data = decoded?.kind === 'window' ? decoded.window.heatmap.data : undefined;
    expect(data).toBeInstanceOf(Uint8Array);
    expect(Array.from(data!)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(data!.buffer.byteLength).toBe(8);
  });

  it('leaves stray run-time properties out of the file', () => {
    const window = { ...sampleWindow(2, SMALL), debugNote: 'not stored' };
    expect(decodeRecord(lineOf({ kind: 'window', window }))).toStrictEqual({ kind: 'window', window: sampleWindow(2, SMALL) });
  });

  it('accepts the line as bytes too', () => {
    const bytes = encodeRecord({ kind: 'finished', summary: { partialReason: null, analyzedSeconds: 1, framesDelivered: 30, lastFrameSeconds: 0.966, backend: 'wasm (SIMD, 2 threads)' } });
    expect(decodeRecord(bytes.subarray(0, bytes.length - 1))?.kind).toBe('finished');
  });

  it.each<[string, (window: WindowResult) => void, RegExp]>([
    ['a NaN logit', (window) => (window.logits[1] = Number.NaN), /window 3 .*window\.logits\[1\] is not a finite number/],
    ['an infinite end time', (window) => (window.endSeconds = Number.POSITIVE_INFINITY), /window\.endSeconds/],
    ['a heatmap one byte short', (window) => (window.heatmap = { ...window.heatmap, data: window.heatmap.data.subarray(1) }), /7 bytes, not frames × height × width = 8/],
    ['frame times not matching real frames', (window) => window.frameTimes.pop(), /realFrames/],
    ['a fractional index', (window) => (window.index = 3.5), /window\.index/],
  ])('refuses to encode a window with %s, naming it', (_name, spoil, message) => {
    const window = sampleWindow(3, SMALL);
    spoil(window);
    let thrown: unknown;
    try {
      encodeRecord({ kind: 'window', window });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LongviewError);
    expect((thrown as LongviewError).kind).toBe('internal');
    expect((thrown as LongviewError).reason).toBe('unstorable-record');
    expect((thrown as LongviewError).message).toMatch(message);
  });
});

describe('decodeRecord refuses', () => {
  const valid = lineOf({ kind: 'window', window: sampleWindow(3, SMALL) });
  const flippedDigit = `${valid[0] === '0' ? '1' : '0'}${valid.slice(1)}`;

  it.each<[string, string | Uint8Array]>([
    ['an empty line', ''],
    ['a checksum alone', valid.slice(0, 9)],
    ['a wrong checksum', flippedDigit],
    ['a missing space', valid.slice(0, 8) + valid.slice(9)],
    ['a flipped byte in the JSON', `${valid.slice(0, 40)}${valid[40] === '1' ? '2' : '1'}${valid.slice(41)}`],
    ['a torn line', valid.slice(0, -1)],
    ['a trailing newline inside the checked part', `${valid}\n`],
    ['JSON that does not parse', framed('{"kind":"window",')],
    ['invalid UTF-8', Buffer.concat([Buffer.from(`${crc32(Uint8Array.of(0x22, 0xff, 0x22)).toString(16).padStart(8, '0')} `), Uint8Array.of(0x22, 0xff, 0x22)])],
    ['a JSON array', framed('[1,2,3]')],
    ['null', framed('null')],
    ['an unknown kind', framed('{"kind":"comment","text":"hi"}')],
  ])('%s', (_name, line) => {
    expect(decodeRecord(line)).toBeUndefined();
  });

  it('an upper-case checksum', () => {
    const upper = `${valid.slice(0, 8).toUpperCase()}${valid.slice(8)}`;
    expect(upper).not.toBe(valid); // this line's checksum has a hex letter
    expect(decodeRecord(upper)).toBeUndefined();
  });

  type Spoil = (value: ReturnType<typeof windowJson>) => void;
  it.each<[string, Spoil]>([
    ['a missing field', (value) => delete value.window['logits']],
    ['an extra field', (value) => (value.window['extra'] = 1)],
    ['an extra top-level field', (value) => Object.assign(value, { extra: 1 })],
    ['a null logit (NaN written by JSON.stringify)', (value) => ((value.window['logits'] as unknown[])[0] = null)],
    ['a string logit', (value) => ((value.window['logits'] as unknown[])[0] = '1.5')],
    ['no logits', (value) => (value.window['logits'] = [])],
    ['a negative index', (value) => (value.window['index'] = -1)],
    ['an index beyond 2^53', (value) => (value.window['index'] = 2 ** 53)],
    ['a numeric padded flag', (value) => (value.window['padded'] = 0)],
    ['frameTimes longer than realFrames', (value) => (value.window['frameTimes'] as number[]).push(9)],
    ['frameTimes not an array', (value) => (value.window['frameTimes'] = { length: 2 })],
    ['an end before the start', (value) => (value.window['endSeconds'] = -1)],
    ['a heatmap byte count ≠ frames × height × width', (value) => (value.window.heatmap['width'] = 3)],
    ['heatmap data that is not base64', (value) => (value.window.heatmap['data'] = '!!!!!!!!!!!!')],
    ['heatmap data with whitespace', (value) => (value.window.heatmap['data'] = ` ${String(value.window.heatmap['data'])}`)],
    ['heatmap data as a number array', (value) => (value.window.heatmap['data'] = [1, 2, 3, 4, 5, 6, 7, 8])],
    ['a negative heatmap maximum', (value) => (value.window.heatmap['maximum'] = -0.5)],
    ['a heatmap that is an array', (value) => (value.window['heatmap'] = [] as unknown as Record<string, unknown>)],
  ])('a window with %s', (_name, spoil) => {
    const value = windowJson();
    spoil(value);
    expect(decodeRecord(framed(JSON.stringify(value)))).toBeUndefined();
    expect(decodeRecord(framed(JSON.stringify(windowJson())))).toBeDefined();
  });

  it('a logit written as 1e999 (parsed as Infinity)', () => {
    const text = JSON.stringify(windowJson()).replace(/"logits":\[[^,\]]+/, '"logits":[1e999');
    expect(text).toContain('1e999');
    expect(decodeRecord(framed(text))).toBeUndefined();
  });

  type HeaderSpoil = (value: ReturnType<typeof headerJson>) => void;
  it.each<[string, HeaderSpoil]>([
    ['another format', (value) => (value['format'] = 'something-else')],
    ['version 2', (value) => (value['version'] = 2)],
    ['no createdAt', (value) => delete value['createdAt']],
    ['an upper-case video hash', (value) => (value.key.video['sha256'] = 'AB'.repeat(32))],
    ['a short video hash', (value) => (value.key.video['sha256'] = 'abc')],
    ['a fractional video size', (value) => (value.key.video['sizeBytes'] = 1.5)],
    ['an empty model checksum', (value) => (value.key['modelChecksum'] = '')],
    ['parameters as an array', (value) => (value.key['parameters'] = [])],
    ['an extra key field', (value) => (value.key['extra'] = 'x')],
  ])('a header with %s', (_name, spoil) => {
    const value = headerJson();
    spoil(value);
    expect(decodeRecord(framed(JSON.stringify(value)))).toBeUndefined();
    expect(decodeRecord(framed(JSON.stringify(headerJson())))).toBeDefined();
  });

  type SummarySpoil = (value: ReturnType<typeof finishedJson>) => void;
  it.each<[string, SummarySpoil]>([
    ['negative frames', (value) => (value.summary['framesDelivered'] = -1)],
    ['seconds as text', (value) => (value.summary['analyzedSeconds'] = '12')],
    ['negative seconds', (value) => (value.summary['analyzedSeconds'] = -1)],
    ['a numeric reason', (value) => (value.summary['partialReason'] = 3)],
    ['a missing last frame time', (value) => delete value.summary['lastFrameSeconds']],
    ['a missing backend', (value) => delete value.summary['backend']],
    ['a numeric backend', (value) => (value.summary['backend'] = 2)],
  ])('a finished record with %s', (_name, spoil) => {
    const value = finishedJson();
    spoil(value);
    expect(decodeRecord(framed(JSON.stringify(value)))).toBeUndefined();
    expect(decodeRecord(framed(JSON.stringify(finishedJson())))).toBeDefined();
  });
});
