/**
 * Errors as the user reads them: whose problem it is (from the classified kind) and the message.
 * Errors cross the API as `{ kind, reason, message }`; anything else is an unexpected failure.
 */
import type { ErrorKind } from '../../../src/shared/errors.js';

export const KIND_TITLES: Readonly<Record<ErrorKind, string>> = {
  usage: 'Not possible',
  input: 'Problem with the video',
  model: 'Problem with the model',
  backend: 'Problem with the compute backend',
  internal: 'Internal error',
};

export interface ErrorDescription {
  kind: ErrorKind;
  title: string;
  message: string;
  reason: string;
}

function isKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && Object.hasOwn(KIND_TITLES, value);
}

export function describeError(error: unknown): ErrorDescription {
  if (error !== null && typeof error === 'object') {
    const record = error as { kind?: unknown; reason?: unknown; message?: unknown };
    const message = typeof record.message === 'string' && record.message !== '' ? record.message : 'something went wrong';
    const reason = typeof record.reason === 'string' ? record.reason : 'unexpected';
    if (isKind(record.kind)) return { kind: record.kind, title: KIND_TITLES[record.kind], message, reason };
    return { kind: 'internal', title: KIND_TITLES.internal, message, reason };
  }
  return { kind: 'internal', title: KIND_TITLES.internal, message: typeof error === 'string' ? error : 'something went wrong', reason: 'unexpected' };
}
