import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PersistentObject, PickleCall, PickleDict, PickleGlobal, PickleTuple, unpickle, type PickleValue } from '../../../src/model/weights/pickle.js';
import { expectModelError } from './expect-model-error.js';

const hostile = fileURLToPath(new URL('../../fixtures/hostile/', import.meta.url));
const encoder = new TextEncoder();

/** The JSON form make.py writes for the same data: tuples, sets, bytes and big ints are tagged. */
function plain(value: PickleValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { int: value.toString() };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') };
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof PickleTuple) return { tuple: value.items.map(plain) };
  if (value instanceof PickleDict) return Object.fromEntries([...value].map(([key, item]) => [String(key), plain(item)]));
  if (value instanceof Set) return { set: [...value].map(plain).sort((a, b) => (String(a) < String(b) ? -1 : 1)) };
  if (value instanceof PickleCall) return { call: value.callee.qualifiedName, args: value.args.map(plain) };
  if (value instanceof PickleGlobal) return { global: value.qualifiedName };
  if (value instanceof PersistentObject) return { persistent: value.value };
  throw new Error('unexpected value');
}

const NO_GLOBALS = { allowedGlobals: new Set<string>() };
const ORDERED = { allowedGlobals: new Set(['collections.OrderedDict', 'torch._utils._rebuild_tensor_v2']) };

/** Assembles a pickle from opcode bytes, strings (ASCII, as written) and numbers (single bytes). */
function bytes(...parts: (string | number | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => (typeof part === 'number' ? [part] : Array.isArray(part) ? part : [...encoder.encode(part)])));
}
const u32 = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
const u64 = (value: number): number[] => [...u32(value), 0, 0, 0, 0];

describe('unpickle decodes what Python writes', () => {
  const expected = JSON.parse(readFileSync(`${hostile}benign-expected.json`, 'utf8')) as Record<string, unknown>;
  it.each([0, 1, 2, 3, 4, 5])('protocol %i', (protocol) => {
    const value = unpickle(readFileSync(`${hostile}benign-protocol-${protocol}.pkl`), NO_GLOBALS);
    expect(plain(value)).toEqual(expected[String(protocol)]);
    // Shared references stay shared (the memo returns the same object).
    const dict = value as PickleDict;
    expect(dict.get('shared_1')).toBe(dict.get('shared_2'));
  });
});

describe('unpickle, opcode by opcode', () => {
  const cases: [string, Uint8Array, unknown][] = [
    ['BININT is signed 32-bit', bytes('J', [0xff, 0xff, 0xff, 0xff], '.'), -1],
    ['BININT2 is unsigned 16-bit', bytes('M', [0x00, 0x80], '.'), 32768],
    ['LONG1 of zero bytes is 0', bytes(0x8a, 0, '.'), 0],
    ['LONG1 is two\'s complement', bytes(0x8a, 2, [0x00, 0x80], '.'), -32768],
    ['LONG1 beyond 2^53 is a bigint', bytes(0x8a, 9, [0, 0, 0, 0, 0, 0, 0, 0x80, 0], '.'), { int: (2n ** 63n).toString() }],
    ['LONG4', bytes(0x8b, u32(2), [0xff, 0x7f], '.'), 32767],
    ['BINFLOAT is big-endian', bytes('G', [0x3f, 0xf8, 0, 0, 0, 0, 0, 0], '.'), 1.5],
    ['INT, protocol 0', bytes('I-42\n.'), -42],
    ['INT 01 is True', bytes('I01\n.'), true],
    ['LONG, protocol 0', bytes('L123456789012345678901L\n.'), { int: '123456789012345678901' }],
    ['FLOAT, protocol 0', bytes('F-2.5e-3\n.'), -0.0025],
    ['FLOAT without a fraction', bytes('F12\n.'), 12],
    ['FLOAT with a trailing dot and an exponent', bytes('F1.E+2\n.'), 100],
    ['FLOAT inf', bytes('F-inf\n.'), -Infinity],
    ['FLOAT of 64 characters (the longest accepted)', bytes(`F${'1'.repeat(64)}\n.`), Number('1'.repeat(64))],
    ['INT of 400 digits', bytes(`I${'9'.repeat(400)}\n.`), { int: '9'.repeat(400) }],
    ['BINUNICODE8', bytes(0x8d, u64(2), 'hi.'), 'hi'],
    ['SHORT_BINUNICODE is UTF-8', bytes(0x8c, 2, [0xc3, 0xa9], '.'), 'é'],
    ['BINSTRING is latin-1', bytes('T', u32(1), [0xe9], '.'), 'é'],
    ['SHORT_BINSTRING', bytes('U', 2, 'ab.'), 'ab'],
    ['STRING with escapes', bytes("S'a\\'b\\n\\x41'\n."), "a'b\nA"],
    ['UNICODE with escapes', bytes('V\\u20ac \\U0001F600\n.'), '€ 😀'],
    ['BINBYTES', bytes('B', u32(2), [1, 2], '.'), { bytes: '0102' }],
    ['BINBYTES8', bytes(0x8e, u64(1), [9], '.'), { bytes: '09' }],
    ['BYTEARRAY8', bytes(0x96, u64(1), [7], '.'), { bytes: '07' }],
    ['DUP then TUPLE2', bytes('K', 5, '2', 0x86, '.'), { tuple: [5, 5] }],
    ['POP', bytes('K', 1, 'K', 2, '0.'), 1],
    ['POP_MARK', bytes('K', 1, '(K', 2, 'K', 3, '1.'), 1],
    ['POP with an empty stack discards a MARK', bytes('K', 1, '(0.'), 1],
    ['DICT from a MARK', bytes('(K', 1, 'K', 2, 'd.'), { '1': 2 }],
    ['LIST and APPEND', bytes('(K', 1, 'lK', 2, 'a.'), [1, 2]],
    ['EMPTY_SET and ADDITEMS', bytes(0x8f, '(K', 1, 'K', 2, 0x90, '.'), { set: [1, 2] }],
    ['FROZENSET', bytes('(K', 3, 0x91, '.'), { set: [3] }],
    ['MEMOIZE and BINGET', bytes(0x8c, 1, 'x', 0x94, '0h', 0, '.'), 'x'],
    ['PUT and GET, protocol 0', bytes('K', 4, 'p7\n0g7\n.'), 4],
    ['FRAME is skipped', bytes(0x80, 4, 0x95, u64(3), 'K', 1, '.'), 1],
    ['NEWOBJ on OrderedDict', bytes('ccollections\nOrderedDict\n)', 0x81, '.'), {}],
    ['NEWOBJ_EX with no keywords', bytes('ccollections\nOrderedDict\n)}', 0x92, '.'), {}],
    ['REDUCE of an allowed global is recorded, not run', bytes('ctorch._utils\n_rebuild_tensor_v2\n(K', 1, 'tR.'), { call: 'torch._utils._rebuild_tensor_v2', args: [1] }],
    ['STACK_GLOBAL of an allowed global', bytes(0x8c, 11, 'collections', 0x8c, 11, 'OrderedDict', 0x93, '.'), { global: 'collections.OrderedDict' }],
  ];
  it.each(cases)('%s', (_, pickle, expected) => {
    expect(plain(unpickle(pickle, ORDERED))).toEqual(expected);
  });

  it('hands persistent ids to the caller (BINPERSID and PERSID)', () => {
    const seen: PickleValue[] = [];
    const options = { ...NO_GLOBALS, persistentLoad: (id: PickleValue) => (seen.push(id), 'storage object') };
    expect(plain(unpickle(bytes('(X', u32(3), 'abcK', 4, 'tQ.'), options))).toEqual({ persistent: 'storage object' });
    expect(plain(unpickle(bytes('Pkey\n.'), options))).toEqual({ persistent: 'storage object' });
    expect(seen.map(plain)).toEqual([{ tuple: ['abc', 4] }, 'key']);
  });

  it("accepts BUILD on an OrderedDict and keeps the state as attributes (a state dict's _metadata)", () => {
    const value = unpickle(bytes('ccollections\nOrderedDict\n)R}X', u32(9), '_metadataNsb.'), ORDERED) as PickleDict;
    expect(value.ordered).toBe(true);
    expect(value.attributes?.has('_metadata')).toBe(true);
  });
});

describe('unpickle refuses', () => {
  const cases: [string, Uint8Array, string, RegExp][] = [
    ['a global outside the list, naming it', bytes('cposix\nsystem\n.'), 'unsafe-pickle', /Python global "posix\.system", which Longview does not allow/],
    ['a dotted name even when the joined string is allowed', bytes('ctorch\n_utils._rebuild_tensor_v2\n.'), 'unsafe-pickle', /"torch\._utils\._rebuild_tensor_v2"/],
    ['an allowed module with another name', bytes('ccollections\nnamedtuple\n.'), 'unsafe-pickle', /"collections\.namedtuple"/],
    ['OrderedDict called with arguments', bytes('ccollections\nOrderedDict\n(]tR.'), 'unsafe-pickle', /only accepted empty/],
    ['REDUCE with arguments that are not a tuple', bytes('ccollections\nOrderedDict\n]R.'), 'corrupt', /not a tuple/],
    ['NEWOBJ_EX with keyword arguments', bytes('ccollections\nOrderedDict\n)}K', 1, 'K', 2, 's', 0x92, '.'), 'unsafe-pickle', /keyword/],
    ['STACK_GLOBAL of non-strings', bytes('K', 1, 'K', 2, 0x93, '.'), 'corrupt', /must be strings/],
    ['BUILD on a plain dict', bytes('}}b.'), 'unsafe-pickle', /BUILD .* on a dict/],
    ['BUILD with a non-dict state', bytes('ccollections\nOrderedDict\n)RNb.'), 'unsafe-pickle', /BUILD with a None/],
    ['ADDITEMS into a list', bytes('](K', 1, 0x90, '.'), 'unsafe-pickle', /add items to a list/],
    ['persistent ids nobody expects', bytes('Pkey\n.'), 'unsafe-pickle', /persistent ids/],
    ['a stack underflow', bytes('R.'), 'corrupt', /stack underflow/],
    ['POP with neither a value nor a MARK', bytes('0.'), 'corrupt', /no MARK/],
    ['TUPLE without MARK', bytes('t.'), 'corrupt', /no MARK/],
    ['two values left at STOP', bytes('K', 1, 'K', 2, '.'), 'corrupt', /2 values/],
    ['an open MARK at STOP', bytes('K', 1, '(.'), 'corrupt', /open MARK/],
    ['an unknown protocol', bytes(0x80, 9, '.'), 'corrupt', /protocol/],
    ['invalid UTF-8', bytes(0x8c, 1, 0xff, '.'), 'corrupt', /UTF-8/],
    ['a GLOBAL line without a newline', bytes('cos'), 'corrupt', /newline/],
    ['a bad protocol-0 integer', bytes('I12x\n.'), 'corrupt', /bad integer/],
    ['a bad STRING quote', bytes("S'abc\n."), 'corrupt', /not quoted/],
    ['a FRAME longer than the input', bytes(0x95, u64(1000), '.'), 'corrupt', /needs 1000 more bytes/],
    ['a truncated BININT', bytes('J', 1, 2), 'corrupt', /needs 4 more bytes/],
  ];
  it.each(cases)('%s', (_, pickle, reason, text) => {
    expectModelError(() => unpickle(pickle, ORDERED), reason, text);
  });

  it('names the opcode and its byte offset', () => {
    expectModelError(() => unpickle(bytes(0x80, 2, 'K', 1, 'i'), ORDERED), 'unsafe-pickle', /INST at byte 4/);
  });

  it('keeps error messages short for huge hostile names', () => {
    const name = 'x'.repeat(100_000);
    let message = '';
    try {
      unpickle(bytes(`cos\n${name}\n.`), ORDERED);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/Python global "os\.x+…"/);
    expect(message.length).toBeLessThan(1000);
  });
});

describe('unpickle bounds its work by the input', () => {
  // Protocol-0 numbers are text lines. A long line must be refused before any regex sees it: the
  // old FLOAT pattern backtracked quadratically (40k digits took 3 s), and INT/LONG/GET lines
  // would be scanned and decoded whole.
  const long = '1'.repeat(20_000);
  it.each([
    ['FLOAT', bytes(`F${long}x\n.`), /text argument is longer than 64 bytes \(FLOAT at byte 0\)/],
    ['FLOAT without a newline', bytes(`F${long}`), /longer than 64 bytes/],
    ['INT', bytes(`I${long}\n.`), /longer than 512 bytes \(INT at byte 0\)/],
    ['LONG', bytes(`L${long}L\n.`), /longer than 512 bytes \(LONG at byte 0\)/],
    ['GET', bytes(`g${long}\n.`), /longer than 32 bytes \(GET at byte 0\)/],
    ['PUT', bytes(`Np${long}\n.`), /longer than 32 bytes \(PUT at byte 1\)/],
  ])('refuses a %s line of 20k digits', (_, pickle, text) => {
    expectModelError(() => unpickle(pickle, NO_GLOBALS), 'corrupt', text);
  });

  it.each([
    ['FLOAT', bytes(`F${'x'.repeat(60)}\n.`), /bad float "x{40}…"/],
    ['INT', bytes(`I${'x'.repeat(500)}\n.`), /bad integer "x{40}…"/],
  ])('quotes a bad %s clipped', (_, pickle, text) => {
    expectModelError(() => unpickle(pickle, NO_GLOBALS), 'corrupt', text);
  });

  /** `head`, then `unit` repeated `count` times, then STOP. */
  const repeated = (head: number[], unit: number[], count: number): Uint8Array => {
    const pickle = new Uint8Array(head.length + unit.length * count + 1);
    pickle.set(head);
    for (let i = 0; i < count; i++) pickle.set(unit, head.length + i * unit.length);
    pickle[pickle.length - 1] = 0x2e;
    return pickle;
  };
  /** None, then LONG_BINPUT 0, 1, … `count` − 1: each a new memo entry. */
  const memoPuts = (count: number): Uint8Array => {
    const pickle = repeated([0x80, 2, 0x4e], [0x72, 0, 0, 0, 0], count);
    const view = new DataView(pickle.buffer);
    for (let i = 0; i < count; i++) view.setUint32(3 + i * 5 + 1, i, true);
    return pickle;
  };
  // Every opcode takes at least a byte, but a byte can cost far more heap than that: a 170 MB
  // pickle of "EMPTY_LIST APPEND" used to need ~25× its size. A budget stops it early.
  it.each([
    ['the reviewer\'s bomb: empty lists appended to one list (4 MB)', repeated([0x80, 2, 0x5d], [0x5d, 0x61], 2_000_000), /list grows beyond 1000000 items/],
    ['empty lists nested three deep, appended to a list (4.2 MB)', repeated([0x80, 2, 0x5d], [0x5d, 0x5d, 0x5d, 0x61, 0x61, 0x61], 700_000), /builds more than 6000000 objects/],
    ['empty dicts appended to a list (1.4 MB)', repeated([0x80, 2, 0x5d], [0x7d, 0x61], 700_000), /builds more than 6000000 objects/],
    ['one list of a million and one Nones (2 MB)', repeated([0x80, 2, 0x5d], [0x4e, 0x61], 1_000_001), /list grows beyond 1000000 items \(APPEND at byte 2000004\)/],
    ['a million and one memo entries (5 MB)', memoPuts(1_000_001), /memo grows beyond 1000000 entries/],
  ])('refuses %s', (_, pickle, text) => {
    expectModelError(() => unpickle(pickle, NO_GLOBALS), 'unsafe-pickle', text);
  });
});
