import { describe, expect, it } from 'vitest';
import type { EditedSegment } from '../../src/shared/api.js';
import { canRedo, canUndo, createHistory, record, redo, seal, undo, type History } from '../../renderer/src/lib/edit-history.js';
import type { EditOperation } from '../../renderer/src/lib/edit-operations.js';

function list(name: string): EditedSegment[] {
  return [{ id: name, startSeconds: 0, endSeconds: 1, label: name, labelIndex: 0, confidence: 1, origin: 'edited' }];
}

const remove: EditOperation = { type: 'remove', id: 'x' };
const dragA: EditOperation = { type: 'moveBoundary', id: 'a', edge: 'end', seconds: 1 };
const dragAStart: EditOperation = { type: 'moveBoundary', id: 'a', edge: 'start', seconds: 1 };
const dragB: EditOperation = { type: 'moveBoundary', id: 'b', edge: 'end', seconds: 1 };

function names(history: History): string {
  const name = (segments: readonly EditedSegment[]): string => segments[0]?.id ?? '∅';
  return `${history.past.map(name).join(',')}|${name(history.present)}|${history.future.map(name).join(',')}`;
}

describe('History', () => {
  it('undoes and redoes in order', () => {
    let history = createHistory(list('0'));
    history = record(history, list('1'), remove);
    history = record(history, list('2'), remove);
    expect(names(history)).toBe('0,1|2|');
    history = undo(history);
    expect(names(history)).toBe('0|1|2');
    history = undo(history);
    expect(names(history)).toBe('|0|2,1');
    expect(canUndo(history)).toBe(false);
    expect(undo(history)).toBe(history);
    history = redo(history);
    expect(names(history)).toBe('0|1|2');
    expect(canRedo(history)).toBe(true);
  });

  it('clears redo on a new edit', () => {
    let history = record(createHistory(list('0')), list('1'), remove);
    history = undo(history);
    history = record(history, list('n'), remove);
    expect(names(history)).toBe('0|n|');
    expect(canRedo(history)).toBe(false);
    expect(redo(history)).toBe(history);
  });

  it('ignores a no-op (the same array)', () => {
    const history = createHistory(list('0'));
    expect(record(history, history.present, remove)).toBe(history);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    let history = createHistory(list('0'), 3);
    for (const name of ['1', '2', '3', '4', '5']) history = record(history, list(name), remove);
    expect(names(history)).toBe('2,3,4|5|');
  });

  it.each<[string, EditOperation[], string]>([
    ['one drag of one segment is one step', [dragA, dragA, dragA], '0|3|'],
    ['both edges of one segment coalesce', [dragA, dragAStart], '0|2|'],
    ['another segment starts a new step', [dragA, dragA, dragB], '0,2|3|'],
    ['another kind of edit breaks the run', [dragA, remove, dragA], '0,1,2|3|'],
  ])('%s', (_name, operations, expected) => {
    let history = createHistory(list('0'));
    operations.forEach((operation, position) => {
      history = record(history, list(String(position + 1)), operation);
    });
    expect(names(history)).toBe(expected);
  });

  it('does not coalesce across a sealed gesture or an undo', () => {
    let history = record(createHistory(list('0')), list('1'), dragA);
    history = record(seal(history), list('2'), dragA);
    expect(names(history)).toBe('0,1|2|');
    history = undo(history);
    history = record(history, list('3'), dragA);
    expect(names(history)).toBe('0,1|3|');
  });
});
