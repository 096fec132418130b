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
 * Every opcode creates at most one object, so the object count is also bounded by the input
 * length, which the caller bounds.
 */
const MAX_MARK_DEPTH = 1000;
const MAX_STACK = 1_000_000;
const MAX_MEMO = 10_000_000;
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
  const line = (): string => {
    const end = bytes.indexOf(0x0a, position);
    if (end < 0) throw fail('corrupt', 'line without a newline');
    return latin1.decode(take(end - position + 1)).slice(0, -1);
  };
  const text = (count: number | bigint): string => {
    const encoded = take(count);
    try {
      return utf8.decode(encoded);
    } catch {
      throw fail('corrupt', 'string is not valid UTF-8');
    }
  };
  const push = (value: PickleValue): void => {
    if (stack.length >= MAX_STACK) throw fail('unsafe-pickle', `stack grows beyond ${MAX_STACK} items`);
    stack.push(value);
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
    if (memo.size >= MAX_MEMO && !memo.has(index)) throw fail('unsafe-pickle', `memo grows beyond ${MAX_MEMO} entries`);
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
    for (let i = 0; i < items.length; i += 2) dict.set(items[i]!, items[i + 1]!);
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
      case 'LONG1': push(long(u8())); break; // u8 length, then digits
      case 'LONG4': push(long(view.getInt32((position += need(4)) - 4, true) >>> 0)); break;
      case 'BINFLOAT': push(view.getFloat64((position += need(8)) - 8, false)); break; // f64 BIG-endian
      case 'INT': { // decimal line; "00"/"01" are protocol 0's False/True
        const digits = line();
        if (digits === '00' || digits === '01') push(digits === '01');
        else push(integer(parseDecimal(digits, fail)));
        break;
      }
      case 'LONG': push(integer(parseDecimal(line().replace(/L$/, ''), fail))); break;
      case 'FLOAT': { // repr() of a float on a line
        const value = line();
        if (!/^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|inf|nan)$/.test(value)) throw fail('corrupt', `bad float ${JSON.stringify(value)}`);
        push(value.endsWith('inf') ? (value.startsWith('-') ? -Infinity : Infinity) : value.endsWith('nan') ? NaN : Number(value));
        break;
      }
      // ---- strings and bytes (lengths checked against the remaining input before reading)
      case 'BINUNICODE': push(text(u32())); break;
      case 'SHORT_BINUNICODE': push(text(u8())); break;
      case 'BINUNICODE8': push(text(u64())); break;
      case 'BINBYTES': push(take(u32()).slice()); break;
      case 'SHORT_BINBYTES': push(take(u8()).slice()); break;
      case 'BINBYTES8': push(take(u64()).slice()); break;
      case 'BYTEARRAY8': push(take(u64()).slice()); break;
      case 'BINSTRING': push(latin1.decode(take(view.getInt32((position += need(4)) - 4, true) >>> 0))); break; // Python 2 str
      case 'SHORT_BINSTRING': push(latin1.decode(take(u8()))); break;
      case 'STRING': push(unquote(line(), fail)); break;
      case 'UNICODE': push(rawUnicodeEscape(line(), fail)); break;
      // ---- containers
      case 'EMPTY_DICT': push(new PickleDict()); break;
      case 'EMPTY_LIST': push([]); break;
      case 'EMPTY_TUPLE': push(new PickleTuple([])); break;
      case 'EMPTY_SET': push(new Set()); break;
      case 'TUPLE': push(new PickleTuple(popMark())); break;
      case 'TUPLE1': push(new PickleTuple([pop()])); break;
      case 'TUPLE2': { const b = pop(); push(new PickleTuple([pop(), b])); break; }
      case 'TUPLE3': { const c = pop(); const b = pop(); push(new PickleTuple([pop(), b, c])); break; }
      case 'LIST': push(popMark()); break;
      case 'DICT': { const dict = new PickleDict(); setItems(dict, popMark()); push(dict); break; }
      case 'FROZENSET': push(new Set(popMark())); break;
      case 'APPEND': { const item = pop(); appendTo(top(), [item], fail); break; }
      case 'APPENDS': { const items = popMark(); appendTo(top(), items, fail); break; }
      case 'SETITEM': { const value = pop(); const key = pop(); setItems(top(), [key, value]); break; }
      case 'SETITEMS': { const items = popMark(); setItems(top(), items); break; }
      case 'ADDITEMS': { // into a set made by EMPTY_SET
        const items = popMark();
        const set = top();
        if (!(set instanceof Set)) throw fail('unsafe-pickle', `refusing to add items to a ${describe(set)}`);
        for (const item of items) set.add(item);
        break;
      }
      // ---- memo
      case 'BINPUT': put(u8()); break;
      case 'LONG_BINPUT': put(u32()); break;
      case 'PUT': put(Number(parseDecimal(line(), fail))); break;
      case 'MEMOIZE': put(memo.size); break;
      case 'BINGET': get(u8()); break;
      case 'LONG_BINGET': get(u32()); break;
      case 'GET': get(Number(parseDecimal(line(), fail))); break;
      // ---- globals and calls: the only places a real unpickler runs code
      case 'GLOBAL': { const module = line(); push(resolveGlobal(module, line())); break; }
      case 'STACK_GLOBAL': { // module and name strings from the stack
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail('corrupt', 'module and name must be strings');
        push(resolveGlobal(module, name));
        break;
      }
      case 'REDUCE': { const args = pop(); push(call(pop(), args)); break; }
      case 'NEWOBJ': { const args = pop(); push(call(pop(), args)); break; }
      case 'NEWOBJ_EX': { // cls, args, kwargs; keyword arguments are not accepted
        const kwargs = pop();
        const args = pop();
        if (!(kwargs instanceof PickleDict) || kwargs.size > 0) throw fail('unsafe-pickle', 'NEWOBJ_EX with keyword arguments');
        push(call(pop(), args));
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
      case 'BINPERSID': push(persistent(pop())); break;
      case 'PERSID': push(persistent(line())); break;
      default: {
        const refused = REFUSED[opcodeName];
        if (refused !== undefined) throw fail('unsafe-pickle', `refusing opcode ${opcodeName} (${refused})`);
        throw fail('corrupt', `unknown opcode 0x${opcode.toString(16).padStart(2, '0')}`);
      }
    }
  }
}

/** Hostile names can be megabytes long; error messages show the start. */
function clip(name: string): string {
  return name.length > 200 ? `${name.slice(0, 200)}…` : name;
}

type Fail = (reason: 'corrupt' | 'unsafe-pickle', message: string) => ModelError;

function appendTo(list: PickleValue, items: PickleValue[], fail: Fail): void {
  if (!Array.isArray(list)) throw fail('unsafe-pickle', `refusing to append to a ${describe(list)}`);
  for (const item of items) list.push(item);
}

function parseDecimal(digits: string, fail: Fail): bigint {
  if (!/^[-+]?\d{1,400}$/.test(digits)) throw fail('corrupt', `bad integer ${JSON.stringify(digits.slice(0, 40))}`);
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
