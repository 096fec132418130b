/**
 * Errors as they cross a process or network boundary (`ApiError`: kind, reason, message, no
 * stack) and back. A LongviewError keeps its classification; anything else is our bug and travels
 * as 'internal', so the UI can tell "your file" from "our fault" without parsing text.
 */
import type { ApiError } from '../shared/api.js';
import { LongviewError, type ErrorKind } from '../shared/errors.js';

const KINDS: ReadonlySet<string> = new Set<ErrorKind>(['usage', 'model', 'input', 'backend', 'internal']);

/** Longest message sent across: a hostile file name inside a message must not make a megabyte reply. */
const MAXIMUM_MESSAGE_LENGTH = 4000;

export function toApiError(error: unknown): ApiError {
  if (error instanceof LongviewError) return { kind: error.kind, reason: error.reason, message: clip(error.message) };
  if (isApiError(error)) return { kind: error.kind, reason: error.reason, message: clip(error.message) };
  const message = error instanceof Error ? error.message : 'unknown error';
  return { kind: 'internal', reason: 'internal', message: clip(`internal error: ${message}`) };
}

/** The receiving side: an ApiError becomes a LongviewError again, so callers handle one error type. */
export function fromApiError(error: ApiError): LongviewError {
  return new LongviewError(error.kind, error.reason, error.message);
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.kind === 'string' && KINDS.has(record.kind) && typeof record.reason === 'string' && typeof record.message === 'string';
}

function clip(message: string): string {
  return message.length <= MAXIMUM_MESSAGE_LENGTH ? message : `${message.slice(0, MAXIMUM_MESSAGE_LENGTH)}…`;
}
