/**
 * The one error a cancelled probe or decode ends with, so callers can tell "the user stopped it"
 * from a failure by kind and reason alone. The signal's reason is kept as the cause.
 */
import { LongviewError } from './errors.js';

/** @param activity what was cancelled, as a sentence start, e.g. "Decoding /videos/a.mp4". */
export function cancelledError(activity: string, reason: unknown): LongviewError {
  return new LongviewError('usage', 'cancelled', `${activity} was cancelled.`, { cause: reason });
}
