/**
 * Reads a Longview JSON export (a prediction or a ground truth) for evaluation: only what the
 * metrics need, every field checked, every bad file a classified input error that names the file
 * and what is wrong. Never opens anything but a regular file (a FIFO would block the read).
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LongviewError } from '../shared/errors.js';
import { RESULT_FORMAT, RESULT_VERSION } from '../shared/result-document.js';
import type { LabeledSpan } from './frame-labels.js';

/** Far above a 3-hour analysis (a few MB); a bigger "result" is something else. */
export const MAX_RESULT_BYTES = 256 * 1024 * 1024;

export interface ResultForEvaluation {
  path: string;
  segments: LabeledSpan[];
  /** The video's duration (the document's claim), seconds. */
  durationSeconds: number;
  /** The video's average frame rate; 0 when unknown. */
  averageFrameRate: number;
  /** The model's id ('ground-truth' for generated truth). */
  modelId: string;
}

export function readResultFile(path: string): ResultForEvaluation {
  const absolutePath = resolve(path);
  return parseResult(readText(absolutePath), absolutePath);
}

/** The document's text → what evaluation needs; `path` names it in errors. */
export function parseResult(text: string, path: string): ResultForEvaluation {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message quotes the text, which may be binary or hold terminal escapes: not repeated.
    throw new LongviewError('input', 'not-json', `${path} is not JSON; give a Longview JSON export (longview analyze --out result.json).`, { cause: error });
  }
  if (!isObject(document) || document.format !== RESULT_FORMAT) {
    throw new LongviewError('input', 'not-a-result', `${path} is JSON but not a Longview analysis (its "format" is not "${RESULT_FORMAT}"); give a Longview JSON export.`);
  }
  if (document.version !== RESULT_VERSION) {
    throw new LongviewError('input', 'unsupported-version', `${path} is a Longview analysis of version ${describe(document.version)}; this Longview reads version ${RESULT_VERSION}.`);
  }
  const video = document.video;
  if (!isObject(video) || !isNumberAtLeast(video.durationSeconds, 0) || !isNumberAtLeast(video.averageFrameRate, 0)) {
    throw malformed(path, 'its "video" lacks a valid durationSeconds or averageFrameRate');
  }
  const model = document.model;
  if (!isObject(model) || typeof model.id !== 'string') throw malformed(path, 'its "model" lacks an id');
  if (!Array.isArray(document.segments)) throw malformed(path, 'it has no "segments" list');
  const segments = document.segments.map((segment: unknown, index: number): LabeledSpan => {
    if (!isObject(segment) || typeof segment.label !== 'string' || !isNumberAtLeast(segment.startSeconds, 0) || !isNumberAtLeast(segment.endSeconds, segment.startSeconds)) {
      throw malformed(path, `segment ${index} needs a label and times with 0 ≤ startSeconds ≤ endSeconds`);
    }
    return { label: segment.label, startSeconds: segment.startSeconds, endSeconds: segment.endSeconds };
  });
  return { path, segments, durationSeconds: video.durationSeconds, averageFrameRate: video.averageFrameRate, modelId: model.id };
}

function readText(absolutePath: string): string {
  let size: number;
  try {
    const stats = statSync(absolutePath);
    if (!stats.isFile()) throw new LongviewError('input', 'not-a-file', `${absolutePath} is not a regular file; give a Longview JSON export.`);
    size = stats.size;
  } catch (error) {
    if (error instanceof LongviewError) throw error;
    throw new LongviewError('input', 'unreadable', `Cannot read ${absolutePath}: ${(error as Error).message}.`, { cause: error });
  }
  if (size > MAX_RESULT_BYTES) throw new LongviewError('input', 'too-large', `${absolutePath} is ${size} bytes, more than any Longview analysis (at most ${MAX_RESULT_BYTES}); give a Longview JSON export.`);
  // Opened non-blocking and checked again, in case the name was swapped for a FIFO since the stat.
  let descriptor: number | undefined;
  try {
    descriptor = openSync(absolutePath, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(descriptor).isFile()) throw new LongviewError('input', 'not-a-file', `${absolutePath} is not a regular file; give a Longview JSON export.`);
    return readFileSync(descriptor, 'utf8');
  } catch (error) {
    if (error instanceof LongviewError) throw error;
    throw new LongviewError('input', 'unreadable', `Cannot read ${absolutePath}: ${(error as Error).message}.`, { cause: error });
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

function malformed(path: string, what: string): LongviewError {
  return new LongviewError('input', 'malformed-result', `${path} is a damaged Longview analysis: ${what}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumberAtLeast(value: unknown, minimum: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && typeof minimum === 'number' && value >= minimum;
}

/** A value for an error message: numbers and short strings as they are, anything else by type. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return value === null ? 'null' : typeof value;
}
