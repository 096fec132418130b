import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/shared/analysis.js';
import type { EditedSegment } from '../../src/shared/api.js';
import { LongviewError } from '../../src/shared/errors.js';
import { applyEdit, fromModelSegments, type EditContext, type EditOperation } from '../../renderer/src/lib/edit-operations.js';

const labels = ['walking', 'running', 'jumping', 'sitting'];
const context: EditContext = { labels, frameSeconds: 0.04, durationSeconds: 30 };

function modelSegment(startSeconds: number, endSeconds: number, labelIndex: number, confidence: number): Segment {
  return { startSeconds, endSeconds, startFrame: Math.round(startSeconds * 25), endFrame: Math.round(endSeconds * 25), label: labels[labelIndex]!, labelIndex, confidence, alternatives: [] };
}

// Deliberately unsorted: the engine's order is not trusted.
const model = [modelSegment(10, 14, 2, 0.6), modelSegment(0, 4, 0, 0.9), modelSegment(4, 10, 1, 0.5), modelSegment(20, 25, 3, 0.7)];
const base = fromModelSegments(model, labels);

function spans(segments: readonly EditedSegment[]): string[] {
  return segments.map((segment) => `${segment.id}:${segment.startSeconds}-${segment.endSeconds}:${segment.label}:${segment.origin}`);
}

describe('fromModelSegments', () => {
  it('sorts, numbers and marks segments as the model made them', () => {
    expect(spans(base)).toEqual(['m0:0-4:walking:model', 'm1:4-10:running:model', 'm2:10-14:jumping:model', 'm3:20-25:sitting:model']);
    expect(base.map((segment) => segment.confidence)).toEqual([0.9, 0.5, 0.6, 0.7]);
  });

  it('gives the same ids for the same segments (ids survive a reload)', () => {
    expect(fromModelSegments([...model].reverse(), labels).map((segment) => segment.id)).toEqual(base.map((segment) => segment.id));
  });

  it('drops segments without a time span', () => {
    expect(fromModelSegments([modelSegment(3, 3, 0, 1), modelSegment(Number.NaN, 2, 0, 1), modelSegment(1, 2, 0, 1)], labels)).toHaveLength(1);
  });
});

describe('applyEdit', () => {
  it.each<[string, EditOperation, string[]]>([
    ['relabel', { type: 'relabel', id: 'm1', labelIndex: 3 }, ['m0:0-4:walking:model', 'm1:4-10:sitting:edited', 'm2:10-14:jumping:model', 'm3:20-25:sitting:model']],
    ['split', { type: 'split', id: 'm1', atSeconds: 6 }, ['m0:0-4:walking:model', 'm1:4-6:running:edited', 'm1/1:6-10:running:edited', 'm2:10-14:jumping:model', 'm3:20-25:sitting:model']],
    ['merge', { type: 'merge', id: 'm0', nextId: 'm1' }, ['m0:0-10:walking:edited', 'm2:10-14:jumping:model', 'm3:20-25:sitting:model']],
    ['merge relabelled', { type: 'merge', id: 'm2', nextId: 'm3', labelIndex: 1 }, ['m0:0-4:walking:model', 'm1:4-10:running:model', 'm2:10-25:running:edited']],
    ['remove', { type: 'remove', id: 'm2' }, ['m0:0-4:walking:model', 'm1:4-10:running:model', 'm3:20-25:sitting:model']],
    ['start earlier into a gap', { type: 'moveBoundary', id: 'm3', edge: 'start', seconds: 16 }, ['m0:0-4:walking:model', 'm1:4-10:running:model', 'm2:10-14:jumping:model', 'm3:16-25:sitting:edited']],
    ['start clamped by the previous end', { type: 'moveBoundary', id: 'm3', edge: 'start', seconds: 2 }, ['m0:0-4:walking:model', 'm1:4-10:running:model', 'm2:10-14:jumping:model', 'm3:14-25:sitting:edited']],
    ['start clamped by the minimum length', { type: 'moveBoundary', id: 'm2', edge: 'start', seconds: 99 }, ['m0:0-4:walking:model', 'm1:4-10:running:model', 'm2:13.96-14:jumping:edited', 'm3:20-25:sitting:model']],
    ['end clamped by the next start', { type: 'moveBoundary', id: 'm2', edge: 'end', seconds: 22 }, ['m0:0-4:walking:model', 'm1:4-10:running:model', 'm2:10-20:jumping:model', 'm3:20-25:sitting:model'].map((text) => text.replace('m2:10-20:jumping:model', 'm2:10-20:jumping:edited'))],
    ['end clamped by the duration', { type: 'moveBoundary', id: 'm3', edge: 'end', seconds: 40 }, ['m0:0-4:walking:model', 'm1:4-10:running:model', 'm2:10-14:jumping:model', 'm3:20-30:sitting:edited']],
    ['first start clamped at 0', { type: 'moveBoundary', id: 'm0', edge: 'start', seconds: -3 }, ['m0:0-4:walking:model', 'm1:4-10:running:model', 'm2:10-14:jumping:model', 'm3:20-25:sitting:model']],
  ])('%s', (_name, operation, expected) => {
    const before = spans(base);
    const outcome = applyEdit(base, operation, context);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(spans(outcome.segments)).toEqual(expected);
    expect(spans(base)).toEqual(before);
  });

  it.each<[string, EditOperation, string]>([
    ['an unknown id', { type: 'remove', id: 'nope' }, 'unknown-segment'],
    ['a label out of range', { type: 'relabel', id: 'm0', labelIndex: 4 }, 'unknown-label'],
    ['a fractional label', { type: 'relabel', id: 'm0', labelIndex: 1.5 }, 'unknown-label'],
    ['a split on an edge', { type: 'split', id: 'm1', atSeconds: 4 }, 'split-outside'],
    ['a split outside', { type: 'split', id: 'm1', atSeconds: 12 }, 'split-outside'],
    ['a split leaving less than a frame', { type: 'split', id: 'm1', atSeconds: 9.99 }, 'split-too-short'],
    ['a split at NaN', { type: 'split', id: 'm1', atSeconds: Number.NaN }, 'invalid-time'],
    ['a merge with a non-neighbour', { type: 'merge', id: 'm0', nextId: 'm2' }, 'not-adjacent'],
    ['a merge backwards', { type: 'merge', id: 'm1', nextId: 'm0' }, 'not-adjacent'],
    ['a merge of the last', { type: 'merge', id: 'm3', nextId: 'm3' }, 'not-adjacent'],
    ['a merge into a bad label', { type: 'merge', id: 'm0', nextId: 'm1', labelIndex: -1 }, 'unknown-label'],
    ['a boundary at infinity', { type: 'moveBoundary', id: 'm1', edge: 'end', seconds: Number.POSITIVE_INFINITY }, 'invalid-time'],
    ['an unknown edge', { type: 'moveBoundary', id: 'm1', edge: 'middle' as 'end', seconds: 5 }, 'unknown-edge'],
    ['an unknown operation', { type: 'explode', id: 'm1' } as unknown as EditOperation, 'unknown-operation'],
  ])('refuses %s', (_name, operation, reason) => {
    const outcome = applyEdit(base, operation, context);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error).toBeInstanceOf(LongviewError);
      expect(outcome.error.kind).toBe('usage');
      expect(outcome.error.reason).toBe(reason);
      expect(outcome.error.message.length).toBeGreaterThan(10);
    }
  });

  it.each<[string, EditOperation]>([
    ['relabel to the same label', { type: 'relabel', id: 'm0', labelIndex: 0 }],
    ['a boundary that does not move', { type: 'moveBoundary', id: 'm1', edge: 'end', seconds: 10 }],
  ])('%s returns the same array (nothing to undo)', (_name, operation) => {
    const outcome = applyEdit(base, operation, context);
    expect(outcome.ok && outcome.segments).toBe(base);
  });

  it('merges confidence weighted by duration', () => {
    const outcome = applyEdit(base, { type: 'merge', id: 'm0', nextId: 'm1' }, context);
    expect(outcome.ok && outcome.segments[0]!.confidence).toBeCloseTo((0.9 * 4 + 0.5 * 6) / 10, 12);
  });

  it('keeps ids unique over repeated splits', () => {
    let segments: EditedSegment[] = base;
    for (const [id, at] of [['m1', 5], ['m1/1', 6], ['m1', 4.5]] as const) {
      const outcome = applyEdit(segments, { type: 'split', id, atSeconds: at }, context);
      if (!outcome.ok) throw outcome.error;
      segments = outcome.segments;
    }
    const ids = segments.map((segment) => segment.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['m0', 'm1', 'm1/2', 'm1/1', 'm1/1/1', 'm2', 'm3']);
    expect(spans(segments).slice(1, 5)).toEqual(['m1:4-4.5:running:edited', 'm1/2:4.5-5:running:edited', 'm1/1:5-6:running:edited', 'm1/1/1:6-10:running:edited']);
  });

  it('keeps the model confidence after a relabel (review order still means something)', () => {
    const outcome = applyEdit(base, { type: 'relabel', id: 'm1', labelIndex: 0 }, context);
    expect(outcome.ok && outcome.segments[1]!.confidence).toBe(0.5);
  });
});
