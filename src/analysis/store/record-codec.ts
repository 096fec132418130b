/**
 * One store record as one text line: `<crc32 of the JSON bytes, 8 lowercase hex> <JSON>\n`.
 * Text keeps the file greppable and `tail`-able; the checksum catches a torn or flipped line; the
 * newline marks a line as complete. Heatmap bytes travel as base64. Numbers are written by
 * JSON.stringify, whose shortest round-trip form reads back to the identical double (logits that
 * came from float32 included); the only loss is the sign of a zero (-0 reads back as 0, which
 * compares equal).
 */
import { LongviewError } from '../../shared/errors.js';
import { crc32 } from '../../files/crc32.js';
import { MAXIMUM_RECORD_BYTES, type StoreRecord } from './record-types.js';
import { RecordDefect, recordFromJson } from './record-validation.js';

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CHECKSUM_DIGITS = 8;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The line for `record`, newline included, as UTF-8 bytes. The line is decoded again before it is
 * returned, so a record this function accepts is one decodeRecord accepts: a NaN logit or a heatmap
 * of the wrong size fails here, at the window that has it, rather than silently truncating the
 * store the next time it is opened.
 */
export function encodeRecord(record: StoreRecord): Uint8Array {
  const json = Buffer.from(JSON.stringify(toJsonValue(record)), 'utf8');
  const line = Buffer.alloc(CHECKSUM_DIGITS + 1 + json.length + 1);
  line.write(crc32(json).toString(16).padStart(CHECKSUM_DIGITS, '0'), 0, 'latin1');
  line[CHECKSUM_DIGITS] = SPACE;
  json.copy(line, CHECKSUM_DIGITS + 1);
  line[line.length - 1] = NEWLINE;
  const defect = line.length > MAXIMUM_RECORD_BYTES ? `it is ${line.length} bytes, more than the ${MAXIMUM_RECORD_BYTES} a store line may hold` : defectOf(json);
  if (defect !== undefined) {
    throw new LongviewError('internal', 'unstorable-record', `${describe(record)} cannot be stored because ${defect}; this is a bug in longview, please report it.`);
  }
  return line;
}

/**
 * The record on one line (without its newline), or undefined when anything is wrong with it:
 * missing or wrong checksum, invalid UTF-8 or JSON, or a value that is not a well-formed record.
 */
export function decodeRecord(line: Uint8Array | string): StoreRecord | undefined {
  const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  if (bytes.length < CHECKSUM_DIGITS + 2 || bytes.length > MAXIMUM_RECORD_BYTES || bytes[CHECKSUM_DIGITS] !== SPACE) return undefined;
  const digits = Buffer.from(bytes.buffer, bytes.byteOffset, CHECKSUM_DIGITS).toString('latin1');
  if (!/^[0-9a-f]{8}$/.test(digits)) return undefined;
  const json = bytes.subarray(CHECKSUM_DIGITS + 1);
  if (crc32(json) !== Number.parseInt(digits, 16)) return undefined;
  try {
    return recordFromJson(JSON.parse(strictUtf8.decode(json)));
  } catch {
    return undefined;
  }
}

/**
 * The JSON shape of a record: the same fields, except that heatmap bytes become a base64 string.
 * Window fields are picked by name, so the line's key order is fixed and stray properties an object
 * may carry at run time stay out of the file.
 */
function toJsonValue(record: StoreRecord): unknown {
  if (record.kind !== 'window') return record;
  const { index, startFrame, realFrames, padded, frameTimes, startSeconds, endSeconds, logits, heatmap } = record.window;
  const { frames, height, width, data, maximum } = heatmap;
  const base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  return {
    kind: 'window',
    window: { index, startFrame, realFrames, padded, frameTimes, startSeconds, endSeconds, logits, heatmap: { frames, height, width, data: base64, maximum } },
  };
}

function defectOf(json: Uint8Array): string | undefined {
  try {
    recordFromJson(JSON.parse(strictUtf8.decode(json)));
    return undefined;
  } catch (error) {
    if (error instanceof RecordDefect) return error.message;
    throw error;
  }
}

function describe(record: StoreRecord): string {
  return record.kind === 'window' ? `window ${String(record.window.index)}` : `the ${record.kind} record`;
}
