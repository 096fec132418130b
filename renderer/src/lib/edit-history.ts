/**
 * Undo and redo over the segment list, pure: a `History` is an immutable value, and every
 * function returns a new one. Steps hold whole lists (arrays of shared, never-mutated segment
 * objects), so an undo is a pointer swap however large the edit was; 500 steps of 600 segments
 * cost a few megabytes of references at most.
 */
import type { EditedSegment } from '../../../src/shared/api.js';
import type { EditOperation } from './edit-operations.js';

export interface History {
  /** Earlier lists, oldest first; at most `limit`. */
  past: readonly (readonly EditedSegment[])[];
  present: readonly EditedSegment[];
  /** Lists undone, the next redo last. */
  future: readonly (readonly EditedSegment[])[];
  /** The operation that made `present`, when it may absorb the next one (a boundary drag); null after undo/redo. */
  coalesceKey: string | null;
  limit: number;
}

export const DEFAULT_HISTORY_LIMIT = 500;

export function createHistory(present: readonly EditedSegment[], limit = DEFAULT_HISTORY_LIMIT): History {
  return { past: [], present, future: [], coalesceKey: null, limit: Math.max(1, Math.floor(limit)) };
}

/**
 * Records `next`, made from `present` by `operation`. A no-op (the same array) changes nothing. A
 * new edit clears the redo list. Consecutive boundary moves of one segment become one step: the
 * whole drag undoes at once.
 */
export function record(history: History, next: readonly EditedSegment[], operation: EditOperation): History {
  if (next === history.present) return history;
  const key = coalesceKeyOf(operation);
  if (key !== null && key === history.coalesceKey && history.future.length === 0) {
    return { ...history, present: next };
  }
  const past = [...history.past, history.present];
  if (past.length > history.limit) past.splice(0, past.length - history.limit);
  return { past, present: next, future: [], coalesceKey: key, limit: history.limit };
}

/** Ends coalescing, e.g. when the pointer is released: the next drag is its own step. */
export function seal(history: History): History {
  return history.coalesceKey === null ? history : { ...history, coalesceKey: null };
}

export function canUndo(history: History): boolean {
  return history.past.length > 0;
}

export function canRedo(history: History): boolean {
  return history.future.length > 0;
}

export function undo(history: History): History {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return { ...history, past: history.past.slice(0, -1), present: previous, future: [...history.future, history.present], coalesceKey: null };
}

export function redo(history: History): History {
  const next = history.future[history.future.length - 1];
  if (next === undefined) return history;
  return { ...history, past: [...history.past, history.present], present: next, future: history.future.slice(0, -1), coalesceKey: null };
}

function coalesceKeyOf(operation: EditOperation): string | null {
  return operation.type === 'moveBoundary' ? `moveBoundary:${operation.id}` : null;
}
