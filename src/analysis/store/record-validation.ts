/**
 * Turns a parsed JSON value from a store line into a typed record, checking everything: exact field
 * sets, types, finite numbers, non-negative integer counts, strict base64, and a heatmap whose byte
 * count is frames × height × width. A store file is untrusted input (another program, a bad disk or
 * a half-written line may have made it), so nothing is assumed.
 */
import type { CompactHeatmap, WindowResult } from '../../shared/analysis.js';
import type { StoreKey } from './store-key.js';
import { STORE_FORMAT, STORE_VERSION, type FinishedSummary, type StoreRecord } from './record-types.js';

/** Why a value is not a record, e.g. "window.logits[3] is not a finite number". */
export class RecordDefect extends Error {}

/** The record `value` holds, or a RecordDefect naming the first thing wrong with it. */
export function recordFromJson(value: unknown): StoreRecord {
  const kind = plainObject(value, 'record')['kind'];
  if (kind === 'header') return headerFrom(value);
  if (kind === 'window') return { kind, window: windowFrom(exactFields(value, ['kind', 'window'], 'window record')['window']) };
  if (kind === 'finished') return { kind, summary: summaryFrom(exactFields(value, ['kind', 'summary'], 'finished record')['summary']) };
  throw new RecordDefect('record.kind is not header, window or finished');
}

function headerFrom(value: unknown): StoreRecord {
  const fields = exactFields(value, ['kind', 'format', 'version', 'key', 'createdAt'], 'header');
  if (fields['format'] !== STORE_FORMAT) throw new RecordDefect(`header.format is not ${STORE_FORMAT}`);
  if (fields['version'] !== STORE_VERSION) throw new RecordDefect(`header.version is not ${STORE_VERSION}`);
  return { kind: 'header', format: STORE_FORMAT, version: STORE_VERSION, key: keyFrom(fields['key']), createdAt: text(fields['createdAt'], 'header.createdAt') };
}

function keyFrom(value: unknown): StoreKey {
  const fields = exactFields(value, ['video', 'modelChecksum', 'parameters'], 'header.key');
  const video = exactFields(fields['video'], ['sizeBytes', 'sha256'], 'header.key.video');
  const sha256 = text(video['sha256'], 'header.key.video.sha256');
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RecordDefect('header.key.video.sha256 is not 64 lowercase hex digits');
  const modelChecksum = text(fields['modelChecksum'], 'header.key.modelChecksum');
  if (modelChecksum === '') throw new RecordDefect('header.key.modelChecksum is empty');
  return {
    video: { sizeBytes: count(video['sizeBytes'], 'header.key.video.sizeBytes'), sha256 },
    modelChecksum,
    parameters: plainObject(fields['parameters'], 'header.key.parameters'),
  };
}

const WINDOW_FIELDS = ['index', 'startFrame', 'realFrames', 'padded', 'frameTimes', 'startSeconds', 'endSeconds', 'logits', 'heatmap'] as const;

function windowFrom(value: unknown): WindowResult {
  const fields = exactFields(value, WINDOW_FIELDS, 'window');
  const realFrames = count(fields['realFrames'], 'window.realFrames');
  const frameTimes = finiteNumbers(fields['frameTimes'], 'window.frameTimes');
  // One decoder timestamp per real sampled frame (src/shared/analysis.ts).
  if (frameTimes.length !== realFrames) throw new RecordDefect(`window.frameTimes has ${frameTimes.length} entries, not realFrames = ${realFrames}`);
  const startSeconds = finite(fields['startSeconds'], 'window.startSeconds');
  const endSeconds = finite(fields['endSeconds'], 'window.endSeconds');
  if (endSeconds < startSeconds) throw new RecordDefect('window.endSeconds is before window.startSeconds');
  const logits = finiteNumbers(fields['logits'], 'window.logits');
  if (logits.length === 0) throw new RecordDefect('window.logits is empty');
  const padded = fields['padded'];
  if (typeof padded !== 'boolean') throw new RecordDefect('window.padded is not a boolean');
  return {
    index: count(fields['index'], 'window.index'),
    startFrame: count(fields['startFrame'], 'window.startFrame'),
    realFrames,
    padded,
    frameTimes,
    startSeconds,
    endSeconds,
    logits,
    heatmap: heatmapFrom(fields['heatmap']),
  };
}

function heatmapFrom(value: unknown): CompactHeatmap {
  const fields = exactFields(value, ['frames', 'height', 'width', 'data', 'maximum'], 'window.heatmap');
  const frames = count(fields['frames'], 'window.heatmap.frames');
  const height = count(fields['height'], 'window.heatmap.height');
  const width = count(fields['width'], 'window.heatmap.width');
  const maximum = finite(fields['maximum'], 'window.heatmap.maximum');
  if (maximum < 0) throw new RecordDefect('window.heatmap.maximum is negative');
  const data = base64Bytes(text(fields['data'], 'window.heatmap.data'), 'window.heatmap.data');
  if (data.length !== frames * height * width) {
    throw new RecordDefect(`window.heatmap.data holds ${data.length} bytes, not frames × height × width = ${frames * height * width}`);
  }
  return { frames, height, width, data, maximum };
}

function summaryFrom(value: unknown): FinishedSummary {
  const fields = exactFields(value, ['partialReason', 'analyzedSeconds', 'framesDelivered', 'lastFrameSeconds', 'backend'], 'finished.summary');
  const partialReason = fields['partialReason'] === null ? null : text(fields['partialReason'], 'finished.summary.partialReason');
  const analyzedSeconds = finite(fields['analyzedSeconds'], 'finished.summary.analyzedSeconds');
  if (analyzedSeconds < 0) throw new RecordDefect('finished.summary.analyzedSeconds is negative');
  const lastFrameSeconds = fields['lastFrameSeconds'] === null ? null : finite(fields['lastFrameSeconds'], 'finished.summary.lastFrameSeconds');
  return {
    partialReason,
    analyzedSeconds,
    framesDelivered: count(fields['framesDelivered'], 'finished.summary.framesDelivered'),
    lastFrameSeconds,
    backend: text(fields['backend'], 'finished.summary.backend'),
  };
}

/**
 * Bytes of canonical base64 (RFC 4648 alphabet, padded). Node's decoder skips characters it does not
 * know, so the text is re-encoded and compared: anything but the one canonical spelling is a defect.
 */
function base64Bytes(encoded: string, name: string): Uint8Array {
  const decoded = Buffer.from(encoded, 'base64');
  if (decoded.toString('base64') !== encoded) throw new RecordDefect(`${name} is not canonical base64`);
  // A copy, so the heatmap owns a buffer of its own size rather than a slice of Node's shared pool.
  return new Uint8Array(decoded);
}

function plainObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordDefect(`${name} is not an object`);
  return value as Record<string, unknown>;
}

/** An object with exactly these own fields: a missing one is a defect, and so is an unknown one. */
function exactFields(value: unknown, names: readonly string[], name: string): Record<string, unknown> {
  const fields = plainObject(value, name);
  const present = Object.keys(fields);
  const missing = names.find((field) => !Object.hasOwn(fields, field));
  if (missing !== undefined) throw new RecordDefect(`${name}.${missing} is missing`);
  if (present.length !== names.length) throw new RecordDefect(`${name} has fields other than ${names.join(', ')}`);
  return fields;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new RecordDefect(`${name} is not a string`);
  return value;
}

function finite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RecordDefect(`${name} is not a finite number`);
  return value;
}

/** A non-negative integer small enough to be exact in a double. */
function count(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new RecordDefect(`${name} is not a non-negative integer`);
  return value;
}

function finiteNumbers(value: unknown, name: string): number[] {
  if (!Array.isArray(value)) throw new RecordDefect(`${name} is not an array`);
  value.forEach((element: unknown, position) => finite(element, `${name}[${position}]`));
  return value as number[];
}
