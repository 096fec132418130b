/**
 * The user's edits of the segment list, as pure data: each edit is an `EditOperation`, and
 * `applyEdit` turns a list plus an operation into a new list (the old one is never touched) or a
 * classified refusal saying why the edit cannot be made. Lists are sorted by start and never
 * overlap; every operation keeps it so.
 */
import type { Segment } from '../../../src/shared/analysis.js';
import type { EditedSegment } from '../../../src/shared/api.js';
import { LongviewError } from '../../../src/shared/errors.js';

export type EditOperation =
  /** Gives the segment another of the model's labels. */
  | { type: 'relabel'; id: string; labelIndex: number }
  /** Cuts the segment in two at `atSeconds`; the second part gets a new id. */
  | { type: 'split'; id: string; atSeconds: number }
  /** Joins the segment with the one right after it; the label is the first's unless `labelIndex` says otherwise. */
  | { type: 'merge'; id: string; nextId: string; labelIndex?: number }
  | { type: 'remove'; id: string }
  /** Moves one edge; clamped so it neither crosses a neighbour nor leaves the segment shorter than a frame. */
  | { type: 'moveBoundary'; id: string; edge: 'start' | 'end'; seconds: number };

/** What an edit needs to know besides the list. */
export interface EditContext {
  /** The model's labels, for relabel and merge. */
  labels: readonly string[];
  /** One frame, seconds: the shortest a segment may become. */
  frameSeconds: number;
  /** The video's length, seconds: no edge moves past it (Infinity when unknown). */
  durationSeconds: number;
}

export type EditOutcome = { ok: true; segments: EditedSegment[] } | { ok: false; error: LongviewError };

/** The model's segments as editable ones, sorted by start, with ids `m0`, `m1`, … in that order. */
export function fromModelSegments(segments: readonly Segment[], labels: readonly string[]): EditedSegment[] {
  return [...segments]
    .filter((segment) => Number.isFinite(segment.startSeconds) && Number.isFinite(segment.endSeconds) && segment.endSeconds > segment.startSeconds)
    .sort((first, second) => first.startSeconds - second.startSeconds)
    .map((segment, position) => ({
      id: `m${position}`,
      startSeconds: segment.startSeconds,
      endSeconds: segment.endSeconds,
      label: labels[segment.labelIndex] ?? segment.label,
      labelIndex: segment.labelIndex,
      confidence: segment.confidence,
      origin: 'model' as const,
    }));
}

/** Applies one operation. A no-op (same label, same edge) returns the very same array. */
export function applyEdit(segments: readonly EditedSegment[], operation: EditOperation, context: EditContext): EditOutcome {
  const position = segments.findIndex((segment) => segment.id === operation.id);
  if (position < 0) return refuse('unknown-segment', `There is no segment "${clip(operation.id)}" (it may have been removed).`);
  const segment = segments[position]!;
  switch (operation.type) {
    case 'relabel':
      return relabel(segments, position, segment, operation.labelIndex, context);
    case 'split':
      return split(segments, position, segment, operation.atSeconds, context);
    case 'merge':
      return merge(segments, position, segment, operation, context);
    case 'remove':
      return { ok: true, segments: segments.filter((_, index) => index !== position) };
    case 'moveBoundary':
      return moveBoundary(segments, position, segment, operation.edge, operation.seconds, context);
    default:
      return refuse('unknown-operation', 'This edit is not one the timeline knows.');
  }
}

function relabel(segments: readonly EditedSegment[], position: number, segment: EditedSegment, labelIndex: number, context: EditContext): EditOutcome {
  const label = labelAt(labelIndex, context);
  if (label === null) return refuse('unknown-label', `Label ${describeIndex(labelIndex)} is not one of the model's ${context.labels.length} labels.`);
  if (labelIndex === segment.labelIndex) return { ok: true, segments: segments as EditedSegment[] };
  return { ok: true, segments: replaceAt(segments, position, [{ ...segment, labelIndex, label, origin: 'edited' }]) };
}

function split(segments: readonly EditedSegment[], position: number, segment: EditedSegment, atSeconds: number, context: EditContext): EditOutcome {
  if (!Number.isFinite(atSeconds)) return refuse('invalid-time', 'The split time is not a number.');
  if (atSeconds <= segment.startSeconds || atSeconds >= segment.endSeconds) {
    return refuse('split-outside', 'The split point must lie inside the segment, not on or past its edges.');
  }
  const shortest = minimumLength(context);
  if (atSeconds - segment.startSeconds < shortest || segment.endSeconds - atSeconds < shortest) {
    return refuse('split-too-short', 'Both parts of a split must be at least one frame long.');
  }
  const first: EditedSegment = { ...segment, endSeconds: atSeconds, origin: 'edited' };
  const second: EditedSegment = { ...segment, id: freshId(segments, segment.id), startSeconds: atSeconds, origin: 'edited' };
  return { ok: true, segments: replaceAt(segments, position, [first, second]) };
}

function merge(
  segments: readonly EditedSegment[],
  position: number,
  segment: EditedSegment,
  operation: Extract<EditOperation, { type: 'merge' }>,
  context: EditContext,
): EditOutcome {
  const next = segments[position + 1];
  if (next === undefined || next.id !== operation.nextId) {
    return refuse('not-adjacent', 'Only a segment and the one right after it can be merged.');
  }
  const labelIndex = operation.labelIndex ?? segment.labelIndex;
  const label = operation.labelIndex === undefined ? segment.label : labelAt(labelIndex, context);
  if (label === null) return refuse('unknown-label', `Label ${describeIndex(labelIndex)} is not one of the model's ${context.labels.length} labels.`);
  const firstLength = segment.endSeconds - segment.startSeconds;
  const secondLength = next.endSeconds - next.startSeconds;
  // Duration-weighted, like the model's own confidence: a long part counts for more than a sliver.
  const confidence = (segment.confidence * firstLength + next.confidence * secondLength) / (firstLength + secondLength);
  const merged: EditedSegment = { ...segment, endSeconds: next.endSeconds, labelIndex, label, confidence, origin: 'edited' };
  return { ok: true, segments: [...segments.slice(0, position), merged, ...segments.slice(position + 2)] };
}

function moveBoundary(
  segments: readonly EditedSegment[],
  position: number,
  segment: EditedSegment,
  edge: 'start' | 'end',
  seconds: number,
  context: EditContext,
): EditOutcome {
  if (!Number.isFinite(seconds)) return refuse('invalid-time', 'The new boundary is not a number.');
  const shortest = minimumLength(context);
  let moved: EditedSegment;
  if (edge === 'start') {
    const earliest = segments[position - 1]?.endSeconds ?? 0;
    const latest = segment.endSeconds - shortest;
    const startSeconds = Math.max(earliest, Math.min(latest, seconds));
    if (startSeconds === segment.startSeconds) return { ok: true, segments: segments as EditedSegment[] };
    moved = { ...segment, startSeconds, origin: 'edited' };
  } else if (edge === 'end') {
    const earliest = segment.startSeconds + shortest;
    const latest = segments[position + 1]?.startSeconds ?? (context.durationSeconds > 0 ? context.durationSeconds : Number.POSITIVE_INFINITY);
    const endSeconds = Math.min(latest, Math.max(earliest, seconds));
    if (endSeconds === segment.endSeconds) return { ok: true, segments: segments as EditedSegment[] };
    moved = { ...segment, endSeconds, origin: 'edited' };
  } else {
    return refuse('unknown-edge', 'A boundary is a segment\'s start or its end.');
  }
  return { ok: true, segments: replaceAt(segments, position, [moved]) };
}

/** A label's name, or null when the index is not a label. */
function labelAt(labelIndex: number, context: EditContext): string | null {
  if (!Number.isInteger(labelIndex) || labelIndex < 0 || labelIndex >= context.labels.length) return null;
  return context.labels[labelIndex]!;
}

function minimumLength(context: EditContext): number {
  return context.frameSeconds > 0 && Number.isFinite(context.frameSeconds) ? context.frameSeconds : 1 / 30;
}

/** `id/1`, `id/2`, …: the first not taken, so ids stay unique and deterministic (undo, redo and tests agree). */
function freshId(segments: readonly EditedSegment[], base: string): string {
  const taken = new Set(segments.map((segment) => segment.id));
  let counter = 1;
  while (taken.has(`${base}/${counter}`)) counter += 1;
  return `${base}/${counter}`;
}

function replaceAt(segments: readonly EditedSegment[], position: number, replacement: EditedSegment[]): EditedSegment[] {
  return [...segments.slice(0, position), ...replacement, ...segments.slice(position + 1)];
}

function refuse(reason: string, message: string): EditOutcome {
  return { ok: false, error: new LongviewError('usage', reason, message) };
}

/** An index for a message, without trusting it to be a number. */
function describeIndex(value: unknown): string {
  return typeof value === 'number' ? String(value) : `of type ${typeof value}`;
}

function clip(text: string): string {
  const value = String(text);
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** The same as `applyEdit`, under the name the timeline's design uses. */
export { applyEdit as apply };
