/**
 * A pickle virtual machine that never executes anything.
 *
 * Python's unpickler imports any module and calls any callable a file names; that is how a
 * checkpoint runs `os.system`. This VM instead builds plain data. GLOBAL resolves only against an
 * exact allow-list of "module.name" strings given by the caller, and refuses everything else by
 * name. Calling an allowed global (REDUCE/NEWOBJ) builds `collections.OrderedDict` itself and
 * otherwise records an inert `PickleCall` for the caller to interpret. No attribute is ever looked
 * up: APPEND/SETITEM/BUILD work only on the containers this VM created. Every length is checked
 * against the remaining input before anything is allocated.
 */
import { ModelError } from '../../shared/errors.js';

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PickleTuple
  | PickleDict
  | Set<PickleValue>
  | PickleGlobal
  | PickleCall
  | PersistentObject;

export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** dict and collections.OrderedDict (keys compare like JS Map keys: by value for str/int). */
export class PickleDict extends Map<PickleValue, PickleValue> {
  /** True for collections.OrderedDict. */
  ordered = false;
  /** Instance attributes set by BUILD, e.g. a state dict's `_metadata`. */
  attributes: PickleDict | undefined;
}

/** An allowed global, not yet called. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** Whatever the caller's `persistentLoad` made of a persistent id (torch: a storage reference). */
export class PersistentObject {
  constructor(readonly value: unknown) {}
}

/** `callee(*args)` as the file asked for it, recorded but not performed. */
export class PickleCall {
  constructor(
    readonly callee: PickleGlobal,
    readonly args: readonly PickleValue[],
  ) {}
}

export interface UnpickleOptions {
  /** Exact "module.name" strings GLOBAL may name, e.g. "collections.OrderedDict". */
  readonly allowedGlobals: ReadonlySet<string>;
  /** Turns a persistent id (PERSID/BINPERSID) into a value; without it persistent ids are refused. */
  readonly persistentLoad?: (id: PickleValue) => unknown;
  /** Names the input in error messages. */
  readonly origin?: string;
}

/**
 * Generous for real checkpoints (a ViT-L state dict nests 5 MARKs and memoizes ~10k objects).
 *
 * Every opcode consumes at least one input byte, so the opcode count (and the number of values
 * pushed) is already bounded by the input length, which the caller bounds. That is not enough:
 * "EMPTY_LIST APPEND" costs 2 bytes of input and ~40 bytes of heap, so a 170 MB pickle of it
 * needs ~4 GB. Hence a heap budget: every value pushed, container created, container slot filled
 * and memo entry added is charged in units of roughly 16–32 heap bytes, and the VM refuses the
 * pickle when the total passes MAX_HEAP_UNITS (about 100–200 MB of heap at worst). A real
 * TimeSformer-L checkpoint (data.pkl < 1 MB, ~1.5k tensors with optimizer state) uses well under
 * a million units.
 */
const MAX_MARK_DEPTH = 1000;
const MAX_STACK = 1_000_000;
const MAX_MEMO = 1_000_000;
const MAX_HEAP_UNITS = 6_000_000;
/** Items in one list, dict, set or tuple; a ViT-L state dict has a few hundred to ~10k. */
const MAX_CONTAINER_ITEMS = 1_000_000;
/** Extra units for objects that cost more than a slot: a JS Map/Set starts with a hash table, a Uint8Array owns an ArrayBuffer. */
const HASHED_UNITS = 8;
const BYTES_UNITS = 8;
/** Longest text line a numeric protocol-0 opcode may have, checked before any parsing. */
const MAX_FLOAT_LINE = 64; // repr() of a double is at most 24 characters
const MAX_INT_LINE = 512; // 400 digits (see parseDecimal), a sign and LONG's trailing "L"
const MAX_MEMO_INDEX_LINE = 32;
/** Bytes of a LONG1/LONG4 integer; torch never needs more than 8. */
const MAX_LONG_BYTES = 64;
const ORDERED_DICT = 'collections.OrderedDict';

/**
 * Opcode byte → name (the names of Python's pickletools). Protocols 0–2 are complete; from 3–5
 * everything real files use. Opcodes absent here are unknown and refused as corrupt.
 */
const OPCODES: Record<number, string> = {
  // framing and control
  0x80: 'PROTO', 0x95: 'FRAME', 0x2e: 'STOP', 0x28: 'MARK', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP',
  // constants: None, bools, ints (fixed width, LONG1/4 two's complement, protocol-0 text), floats
  0x4e: 'NONE', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x4a: 'BININT', 0x4b: 'BININT1', 0x4d: 'BININT2',
  0x8a: 'LONG1', 0x8b: 'LONG4', 0x49: 'INT', 0x4c: 'LONG', 0x47: 'BINFLOAT', 0x46: 'FLOAT',
  // str (UTF-8), Python 2 str (latin-1), bytes
  0x58: 'BINUNICODE', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x56: 'UNICODE',
  0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x53: 'STRING',
  0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES', 0x8e: 'BINBYTES8', 0x96: 'BYTEARRAY8',
  // containers
  0x7d: 'EMPTY_DICT', 0x5d: 'EMPTY_LIST', 0x29: 'EMPTY_TUPLE', 0x8f: 'EMPTY_SET',
  0x74: 'TUPLE', 0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3', 0x6c: 'LIST', 0x64: 'DICT', 0x91: 'FROZENSET',
  0x61: 'APPEND', 0x65: 'APPENDS', 0x73: 'SETITEM', 0x75: 'SETITEMS', 0x90: 'ADDITEMS',
  // memo
  0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x70: 'PUT', 0x94: 'MEMOIZE', 0x68: 'BINGET', 0x6a: 'LONG_BINGET', 0x67: 'GET',
  // globals, calls, persistent ids
  0x63: 'GLOBAL', 0x93: 'STACK_GLOBAL', 0x52: 'REDUCE', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x62: 'BUILD',
  0x51: 'BINPERSID', 0x50: 'PERSID',
  // known but refused (see REFUSED)
  0x69: 'INST', 0x6f: 'OBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Opcodes that exist but that we refuse: each can run or reach code we do not control. */
const REFUSED: Record<string, string> = {
  INST: 'calls a class named in the stream',
  OBJ: 'calls a class from the stack',
  EXT1: 'looks up the copyreg extension registry',
  EXT2: 'looks up the copyreg extension registry',
  EXT4: 'looks up the copyreg extension registry',
  NEXT_BUFFER: 'out-of-band buffers',
  READONLY_BUFFER: 'out-of-band buffers',
};

export function unpickle(bytes: Uint8Array, options: UnpickleOptions): PickleValue {
  const origin = options.origin ?? 'pickle';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let stack: PickleValue[] = [];
  const marks: PickleValue[][] = [];
  const memo = new Map<number, PickleValue>();
  let position = 0;
  let opcodeAt = 0;
  let opcodeName = '';

  const fail = (reason: 'corrupt' | 'unsafe-pickle', message: string): ModelError =>
    new ModelError(reason, `${origin}: ${message} (${opcodeName} at byte ${opcodeAt})`);
  const need = (count: number | bigint): number => {
    const remaining = bytes.length - position;
    const length = typeof count === 'bigint' ? (count > BigInt(remaining) ? Infinity : Number(count)) : count;
    if (length > remaining) throw fail('corrupt', `needs ${count} more bytes but only ${remaining} remain`);
    return length;
  };
  const take = (count: number | bigint): Uint8Array => {
    const length = need(count);
    position += length;
    return bytes.subarray(position - length, position);
  };
  const u8 = (): number => view.getUint8((position += need(1)) - 1);
  const u16 = (): number => view.getUint16((position += need(2)) - 2, true);
  const u32 = (): number => view.getUint32((position += need(4)) - 4, true);
  const u64 = (): bigint => view.getBigUint64((position += need(8)) - 8, true);
  /**
   * A protocol-0 text argument up to its newline. `maxLength` bounds the search, so a numeric
   * opcode never scans (or hands a regex) megabytes of input.
   */
  const line = (maxLength = Infinity): string => {
    const searchEnd = Math.min(bytes.length, position + maxLength + 1);
    const end = bytes.subarray(position, searchEnd).indexOf(0x0a);
    if (end < 0) {
      if (searchEnd < bytes.length) throw fail('corrupt', `text argument is longer than ${maxLength} bytes`);
      throw fail('corrupt', 'line without a newline');
    }
    return latin1.decode(take(end + 1)).slice(0, -1);
  };
  const text = (count: number | bigint): string => {
    const encoded = take(count);
    try {
      return utf8.decode(encoded);
    } catch {
      throw fail('corrupt', 'string is not valid UTF-8');
    }
  };
  let heapUnits = 0;
  /** Charges the heap budget (see MAX_HEAP_UNITS). */
  const charge = (units: number): void => {
    heapUnits += units;
    if (heapUnits > MAX_HEAP_UNITS) throw fail('unsafe-pickle', `builds more than ${MAX_HEAP_UNITS} objects and container items, far beyond any checkpoint`);
  };
  /** Charges for `count` more items in one container and checks its size. */
  const grow = (container: string, size: number, count: number, unitsEach = 1): void => {
    if (size + count > MAX_CONTAINER_ITEMS) throw fail('unsafe-pickle', `${container} grows beyond ${MAX_CONTAINER_ITEMS} items`);
    charge(count * unitsEach);
  };
  const push = (value: PickleValue): void => {
    if (stack.length >= MAX_STACK) throw fail('unsafe-pickle', `stack grows beyond ${MAX_STACK} items`);
    charge(1);
    stack.push(value);
  };
  /** Pushes a freshly built object, charging what it costs beyond its stack slot. */
  const pushNew = (value: PickleValue, units: number): void => {
    charge(units);
    push(value);
  };
  const pop = (): PickleValue => {
    if (stack.length === 0) throw fail('corrupt', 'stack underflow');
    return stack.pop()!;
  };
  const top = (): PickleValue => {
    if (stack.length === 0) throw fail('corrupt', 'stack underflow');
    return stack[stack.length - 1]!;
  };
  /** Items pushed since the last MARK; restores the stack below it. */
  const popMark = (): PickleValue[] => {
    const items = stack;
    const below = marks.pop();
    if (below === undefined) throw fail('corrupt', 'no MARK to pop to');
    stack = below;
    return items;
  };
  const put = (index: number): void => {
    if (!memo.has(index)) {
      if (memo.size >= MAX_MEMO) throw fail('unsafe-pickle', `memo grows beyond ${MAX_MEMO} entries`);
      charge(2); // a Map entry is key, value and chain link
    }
    memo.set(index, top());
  };
  const get = (index: number): void => {
    if (!memo.has(index)) throw fail('corrupt', `memo index ${index} was never stored`);
    push(memo.get(index)!);
  };
  const integer = (value: bigint): number | bigint => (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);
  /** Little-endian two's complement, as LONG1/LONG4 store it. */
  const long = (length: number): number | bigint => {
    need(length);
    if (length > MAX_LONG_BYTES) throw fail('unsafe-pickle', `integer of ${length} bytes exceeds the ${MAX_LONG_BYTES}-byte limit`);
    const digits = take(length);
    let value = 0n;
    for (let i = digits.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(digits[i]!);
    if (digits.length > 0 && digits[digits.length - 1]! & 0x80) value -= 1n << BigInt(8 * digits.length);
    return integer(value);
  };
  const resolveGlobal = (module: string, name: string): PickleGlobal => {
    const qualified = `${module}.${name}`;
    // A dotted name would be an attribute chain (protocol 4); only exact single names are allowed.
    if (name.includes('.') || !options.allowedGlobals.has(qualified)) {
      throw fail('unsafe-pickle', `checkpoint asks for the Python global "${clip(qualified)}", which Longview does not allow (allowed: ${[...options.allowedGlobals].join(', ')})`);
    }
    return new PickleGlobal(module, name);
  };
  /** REDUCE and NEWOBJ: only allowed globals, and nothing is run. */
  const call = (callee: PickleValue, args: PickleValue): PickleValue => {
    if (!(callee instanceof PickleGlobal)) throw fail('unsafe-pickle', `refusing to call a ${describe(callee)}; only allowed globals may be called`);
    if (!(args instanceof PickleTuple)) throw fail('corrupt', `arguments of ${callee.qualifiedName} are a ${describe(args)}, not a tuple`);
    if (callee.qualifiedName !== ORDERED_DICT) return new PickleCall(callee, args.items);
    if (args.items.length > 0) throw fail('unsafe-pickle', 'OrderedDict is only accepted empty and filled by SETITEMS');
    const dict = new PickleDict();
    dict.ordered = true;
    return dict;
  };
  const setItems = (dict: PickleValue, items: PickleValue[]): void => {
    if (!(dict instanceof PickleDict)) throw fail('unsafe-pickle', `refusing to set items on a ${describe(dict)}`);
    if (items.length % 2 !== 0) throw fail('corrupt', 'odd number of items for a dict');
    grow(describe(dict), dict.size, items.length / 2, 3); // key, value and chain link
    for (let i = 0; i < items.length; i += 2) dict.set(items[i]!, items[i + 1]!);
  };
  const appendTo = (list: PickleValue, items: PickleValue[]): void => {
    if (!Array.isArray(list)) throw fail('unsafe-pickle', `refusing to append to a ${describe(list)}`);
    grow('list', list.length, items.length);
    for (const item of items) list.push(item);
  };
  /** Items popped to a MARK become a list, tuple or set: one slot each. */
  const collect = (container: string): PickleValue[] => {
    const items = popMark();
    grow(container, 0, items.length);
    return items;
  };
  const persistent = (id: PickleValue): PickleValue => {
    if (options.persistentLoad === undefined) throw fail('unsafe-pickle', 'persistent ids are not expected here');
    return new PersistentObject(options.persistentLoad(id));
  };

  for (;;) {
    opcodeAt = position;
    const opcode = u8();
    opcodeName = OPCODES[opcode] ?? `opcode 0x${opcode.toString(16).padStart(2, '0')}`;
    switch (opcodeName) {
      // ---- framing and control
      case 'PROTO': if (u8() > 5) throw fail('corrupt', 'unknown pickle protocol'); break;
      case 'FRAME': need(u64()); break; // a length hint; the bytes follow inline
      case 'STOP': { // the result is the one value left
        if (marks.length > 0 || stack.length !== 1) throw fail('corrupt', `${stack.length} values and ${marks.length} open MARKs left at STOP`);
        return stack[0]!;
      }
      case 'MARK': // start a new stack segment
        if (marks.length >= MAX_MARK_DEPTH) throw fail('unsafe-pickle', `MARKs nest deeper than ${MAX_MARK_DEPTH}`);
        marks.push(stack); stack = []; break;
      case 'POP': if (stack.length > 0) pop(); else popMark(); break;
      case 'POP_MARK': popMark(); break;
      case 'DUP': push(top()); break;
      // ---- constants
      case 'NONE': push(null); break;
      case 'NEWTRUE': push(true); break;
      case 'NEWFALSE': push(false); break;
      case 'BININT': push(view.getInt32((position += need(4)) - 4, true)); break; // i32 LE
      case 'BININT1': push(u8()); break; // u8
      case 'BININT2': push(u16()); break; // u16 LE
      case 'LONG1': pushNew(long(u8()), 1); break; // u8 length, then digits
      case 'LONG4': pushNew(long(view.getInt32((position += need(4)) - 4, true) >>> 0), 1); break;
      case 'BINFLOAT': push(view.getFloat64((position += need(8)) - 8, false)); break; // f64 BIG-endian
      case 'INT': { // decimal line; "00"/"01" are protocol 0's False/True
        const digits = line(MAX_INT_LINE);
        if (digits === '00' || digits === '01') push(digits === '01');
        else push(integer(parseDecimal(digits, fail)));
        break;
      }
      case 'LONG': push(integer(parseDecimal(line(MAX_INT_LINE).replace(/L$/, ''), fail))); break;
      case 'FLOAT': { // repr() of a float on a line
        const value = line(MAX_FLOAT_LINE);
        // Each part has one way to match (no `\d+\.?\d*`, which backtracks quadratically on a
        // long run of digits); the line is short anyway.
        if (!/^[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|inf|nan)$/.test(value)) throw fail('corrupt', `bad float ${quote(value)}`);
        push(value.endsWith('inf') ? (value.startsWith('-') ? -Infinity : Infinity) : value.endsWith('nan') ? NaN : Number(value));
        break;
      }
      // ---- strings and bytes (lengths checked against the remaining input before reading)
      case 'BINUNICODE': push(text(u32())); break;
      case 'SHORT_BINUNICODE': push(text(u8())); break;
      case 'BINUNICODE8': push(text(u64())); break;
      case 'BINBYTES': pushNew(take(u32()).slice(), BYTES_UNITS); break;
      case 'SHORT_BINBYTES': pushNew(take(u8()).slice(), BYTES_UNITS); break;
      case 'BINBYTES8': pushNew(take(u64()).slice(), BYTES_UNITS); break;
      case 'BYTEARRAY8': pushNew(take(u64()).slice(), BYTES_UNITS); break;
      case 'BINSTRING': push(latin1.decode(take(view.getInt32((position += need(4)) - 4, true) >>> 0))); break; // Python 2 str
      case 'SHORT_BINSTRING': push(latin1.decode(take(u8()))); break;
      case 'STRING': push(unquote(line(), fail)); break;
      case 'UNICODE': push(rawUnicodeEscape(line(), fail)); break;
      // ---- containers
      // Creating a container costs an object (plus a hash table for dicts and sets); each item
      // costs its slot, charged by collect/appendTo/setItems.
      case 'EMPTY_DICT': pushNew(new PickleDict(), HASHED_UNITS); break;
      case 'EMPTY_LIST': pushNew([], 1); break;
      case 'EMPTY_TUPLE': pushNew(new PickleTuple([]), 1); break;
      case 'EMPTY_SET': pushNew(new Set(), HASHED_UNITS); break;
      case 'TUPLE': pushNew(new PickleTuple(collect('tuple')), 1); break;
      case 'TUPLE1': pushNew(new PickleTuple([pop()]), 2); break;
      case 'TUPLE2': { const b = pop(); pushNew(new PickleTuple([pop(), b]), 3); break; }
      case 'TUPLE3': { const c = pop(); const b = pop(); pushNew(new PickleTuple([pop(), b, c]), 4); break; }
      case 'LIST': pushNew(collect('list'), 1); break;
      case 'DICT': { const dict = new PickleDict(); setItems(dict, popMark()); pushNew(dict, HASHED_UNITS); break; }
      case 'FROZENSET': pushNew(new Set(collect('set')), HASHED_UNITS); break;
      case 'APPEND': { const item = pop(); appendTo(top(), [item]); break; }
      case 'APPENDS': { const items = popMark(); appendTo(top(), items); break; }
      case 'SETITEM': { const value = pop(); const key = pop(); setItems(top(), [key, value]); break; }
      case 'SETITEMS': { const items = popMark(); setItems(top(), items); break; }
      case 'ADDITEMS': { // into a set made by EMPTY_SET
        const items = popMark();
        const set = top();
        if (!(set instanceof Set)) throw fail('unsafe-pickle', `refusing to add items to a ${describe(set)}`);
        grow('set', set.size, items.length, 2);
        for (const item of items) set.add(item);
        break;
      }
      // ---- memo
      case 'BINPUT': put(u8()); break;
      case 'LONG_BINPUT': put(u32()); break;
      case 'PUT': put(Number(parseDecimal(line(MAX_MEMO_INDEX_LINE), fail))); break;
      case 'MEMOIZE': put(memo.size); break;
      case 'BINGET': get(u8()); break;
      case 'LONG_BINGET': get(u32()); break;
      case 'GET': get(Number(parseDecimal(line(MAX_MEMO_INDEX_LINE), fail))); break;
      // ---- globals and calls: the only places a real unpickler runs code
      case 'GLOBAL': { const module = line(); pushNew(resolveGlobal(module, line()), 1); break; }
      case 'STACK_GLOBAL': { // module and name strings from the stack
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail('corrupt', 'module and name must be strings');
        pushNew(resolveGlobal(module, name), 1);
        break;
      }
      case 'REDUCE': { const args = pop(); pushNew(call(pop(), args), HASHED_UNITS); break; }
      case 'NEWOBJ': { const args = pop(); pushNew(call(pop(), args), HASHED_UNITS); break; }
      case 'NEWOBJ_EX': { // cls, args, kwargs; keyword arguments are not accepted
        const kwargs = pop();
        const args = pop();
        if (!(kwargs instanceof PickleDict) || kwargs.size > 0) throw fail('unsafe-pickle', 'NEWOBJ_EX with keyword arguments');
        pushNew(call(pop(), args), HASHED_UNITS);
        break;
      }
      case 'BUILD': { // only an OrderedDict's attributes (torch's state-dict `_metadata`)
        const state = pop();
        const target = top();
        if (!(target instanceof PickleDict) || !target.ordered) throw fail('unsafe-pickle', `refusing BUILD (sets attributes) on a ${describe(target)}`);
        if (!(state instanceof PickleDict)) throw fail('unsafe-pickle', `refusing BUILD with a ${describe(state)} as state`);
        target.attributes = state;
        break;
      }
      case 'BINPERSID': pushNew(persistent(pop()), 2); break;
      case 'PERSID': pushNew(persistent(line()), 2); break;
      default: {
        const refused = REFUSED[opcodeName];
        if (refused !== undefined) throw fail('unsafe-pickle', `refusing opcode ${opcodeName} (${refused})`);
        throw fail('corrupt', `unknown opcode 0x${opcode.toString(16).padStart(2, '0')}`);
      }
    }
  }
}

/** Hostile names can be megabytes long; error messages show the start. */
export function clip(name: string, length = 200): string {
  return name.length > length ? `${name.slice(0, length)}…` : name;
}

/** A string from the input, clipped and quoted for an error message. */
function quote(text: string): string {
  return JSON.stringify(clip(text, 40));
}

type Fail = (reason: 'corrupt' | 'unsafe-pickle', message: string) => ModelError;

function parseDecimal(digits: string, fail: Fail): bigint {
  if (!/^[-+]?\d{1,400}$/.test(digits)) throw fail('corrupt', `bad integer ${quote(digits)}`);
  return BigInt(digits);
}

/** Protocol 0 STRING: a quoted Python literal with backslash escapes. */
function unquote(literal: string, fail: Fail): string {
  const quote = literal[0];
  if (literal.length < 2 || (quote !== "'" && quote !== '"') || literal[literal.length - 1] !== quote) throw fail('corrupt', 'STRING is not quoted');
  const escapes: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', '0': '\0' };
  return literal.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, escape: string) => {
    if (escape.startsWith('x') && escape.length === 3) return String.fromCharCode(parseInt(escape.slice(1), 16));
    const plain = escapes[escape];
    if (plain === undefined) throw fail('corrupt', `unsupported escape \\${escape} in STRING`);
    return plain;
  });
}

/** Protocol 0 UNICODE: latin-1 text with \uXXXX and \UXXXXXXXX escapes. */
function rawUnicodeEscape(encoded: string, fail: Fail): string {
  return encoded.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, short?: string, long?: string) => {
    const code = parseInt((short ?? long)!, 16);
    if (code > 0x10ffff) throw fail('corrupt', 'code point out of range in UNICODE');
    return String.fromCodePoint(code);
  });
}

/**
 * A value for an error message: small scalars as themselves, strings clipped and quoted, and
 * anything else by type only (a list can share itself a billion times over, or nest 200k deep:
 * String() or JSON.stringify of it throws a RangeError or never ends).
 */
export function preview(value: PickleValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return clip(String(value), 40); // at most 64 bytes (MAX_LONG_BYTES)
  if (typeof value === 'string') return quote(value);
  return `a ${describe(value)}`;
}

/** A short type name for error messages (never the value: it may be huge or hostile). */
export function describe(value: PickleValue): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof PickleTuple) return 'tuple';
  if (value instanceof PickleDict) return value.ordered ? 'OrderedDict' : 'dict';
  if (value instanceof Set) return 'set';
  if (value instanceof PickleGlobal) return `global ${value.qualifiedName}`;
  if (value instanceof PickleCall) return `result of ${value.callee.qualifiedName}(…)`;
  if (value instanceof PersistentObject) return 'persistent object';
  return typeof value === 'string' ? 'str' : typeof value === 'boolean' ? 'bool' : typeof value === 'number' || typeof value === 'bigint' ? 'number' : typeof value;
}
