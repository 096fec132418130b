/**
 * Classified errors shared by the engine, the command line and the UI.
 *
 * Every failure a user can cause (a broken checkpoint, a non-video, a bad flag) is thrown as a
 * `LongviewError` whose `kind` says whose problem it is and whose `reason` says which one, so the
 * CLI can pick an exit code and the UI a message without parsing text.
 */

/** Whose problem it is. The CLI maps these to exit codes (usage 2, model 4, ...). */
export type ErrorKind = 'usage' | 'model' | 'input' | 'backend' | 'internal';

export class LongviewError extends Error {
  readonly kind: ErrorKind;
  /** A short stable tag, e.g. 'truncated', 'unsafe-pickle', 'missing-keys'. */
  readonly reason: string;

  constructor(kind: ErrorKind, reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LongviewError';
    this.kind = kind;
    this.reason = reason;
  }
}

/** A checkpoint or config that cannot be used: corrupt, hostile, unsupported or mismatched. */
export class ModelError extends LongviewError {
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super('model', reason, message, options);
    this.name = 'ModelError';
  }
}

/** Wrong flags or arguments. */
export class UsageError extends LongviewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', 'usage', message, options);
    this.name = 'UsageError';
  }
}
