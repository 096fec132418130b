/**
 * The edit session without Svelte: the segment list with undo/redo, the selection, and an
 * autosave that writes the edits a moment after the last change. `state/edit-session.svelte.ts`
 * wraps it in runes; everything that can go wrong is here, where tests reach it.
 *
 * Autosave: every change (re)starts a ~500 ms timer; when it fires the edits go to `save`. One
 * save at a time: a change during a save is saved after it. A failed save is reported in
 * `saveError` and retried with the next change (not in a loop: a full disk would spin).
 */
import type { Segment } from '../../../src/shared/analysis.js';
import type { EditedSegment, SavedEdits } from '../../../src/shared/api.js';
import { LongviewError } from '../../../src/shared/errors.js';
import { applyEdit, fromModelSegments, type EditContext, type EditOperation, type EditOutcome } from './edit-operations.js';
import { canRedo, canUndo, createHistory, record, redo, seal, undo, type History } from './edit-history.js';

/** Runs `task` after `delayMs`; returns a function that cancels it. */
export type Scheduler = (task: () => void, delayMs: number) => () => void;

export interface EditSessionOptions {
  save: (edits: SavedEdits) => Promise<unknown>;
  /** setTimeout by default; tests pass a manual one. */
  schedule?: Scheduler;
  /** The clock for `savedAt`, ISO 8601. */
  now?: () => string;
  autosaveDelayMs?: number;
}

export const AUTOSAVE_DELAY_MS = 500;

const defaultScheduler: Scheduler = (task, delayMs) => {
  const handle = setTimeout(task, delayMs);
  return () => clearTimeout(handle);
};

export class EditSessionCore {
  private history: History = createHistory([]);
  private context: EditContext = { labels: [], frameSeconds: 1 / 30, durationSeconds: Number.POSITIVE_INFINITY };
  private selected: string | null = null;
  private key = '';
  private dirty = false;
  private saveInFlight: Promise<void> | null = null;
  private saveAgain = false;
  private cancelTimer: (() => void) | null = null;
  private readonly options: Required<EditSessionOptions>;
  /** Called after every change of anything a view shows (segments, selection, history, save state). */
  onChange: () => void = () => {};

  saving = false;
  lastSavedAt: string | null = null;
  saveError: string | null = null;

  constructor(options: EditSessionOptions) {
    this.options = {
      save: options.save,
      schedule: options.schedule ?? defaultScheduler,
      now: options.now ?? (() => new Date().toISOString()),
      autosaveDelayMs: options.autosaveDelayMs ?? AUTOSAVE_DELAY_MS,
    };
  }

  get segments(): readonly EditedSegment[] {
    return this.history.present;
  }

  get selectedId(): string | null {
    return this.selected;
  }

  get labels(): readonly string[] {
    return this.context.labels;
  }

  get analysisKey(): string {
    return this.key;
  }

  get canUndo(): boolean {
    return canUndo(this.history);
  }

  get canRedo(): boolean {
    return canRedo(this.history);
  }

  /** The video's length and frame length, for clamping boundaries (the timeline knows them). */
  setBounds(durationSeconds: number, frameSeconds?: number): void {
    this.context = {
      ...this.context,
      durationSeconds: durationSeconds > 0 && Number.isFinite(durationSeconds) ? durationSeconds : Number.POSITIVE_INFINITY,
      frameSeconds: frameSeconds !== undefined && frameSeconds > 0 && Number.isFinite(frameSeconds) ? frameSeconds : this.context.frameSeconds,
    };
  }

  /** Applies one edit; a refusal changes nothing and is returned for the view to show. */
  apply(operation: EditOperation): EditOutcome {
    const outcome = applyEdit(this.history.present, operation, this.context);
    if (!outcome.ok || outcome.segments === this.history.present) return outcome;
    this.history = record(this.history, outcome.segments, operation);
    if (operation.type === 'split' || operation.type === 'merge' || operation.type === 'relabel' || operation.type === 'moveBoundary') {
      this.selected = operation.id;
    }
    this.changed(true);
    return outcome;
  }

  /** Ends a gesture (a boundary drag): the next drag is its own undo step. */
  endGesture(): void {
    this.history = seal(this.history);
  }

  undo(): void {
    if (!this.canUndo) return;
    this.history = undo(this.history);
    this.changed(true);
  }

  redo(): void {
    if (!this.canRedo) return;
    this.history = redo(this.history);
    this.changed(true);
  }

  select(id: string | null): void {
    const next = id !== null && this.history.present.some((segment) => segment.id === id) ? id : null;
    if (next === this.selected) return;
    this.selected = next;
    this.onChange();
  }

  /** Starts over from the model's segments (a new analysis or re-segmentation); not saved, nothing was edited. */
  resetFromModel(segments: readonly Segment[], labels: readonly string[], analysisKey: string): void {
    this.cancelPendingSave();
    this.context = { ...this.context, labels: [...labels], frameSeconds: frameSecondsOf(segments) ?? this.context.frameSeconds };
    this.key = analysisKey;
    this.history = createHistory(fromModelSegments(segments, labels), this.history.limit);
    this.selected = null;
    this.changed(false);
  }

  /** Restores saved edits (checked: a damaged file is refused, not half-loaded); not saved again. */
  load(saved: SavedEdits): void {
    const segments = checkSavedEdits(saved, this.context.labels);
    this.cancelPendingSave();
    this.key = saved.analysisKey;
    this.history = createHistory(segments, this.history.limit);
    this.selected = null;
    this.lastSavedAt = saved.savedAt;
    this.changed(false);
  }

  toSaved(): SavedEdits {
    return { version: 1, analysisKey: this.key, segments: [...this.history.present], savedAt: this.options.now() };
  }

  /** Saves now if anything is unsaved (closing a video, quitting) and waits for it. */
  async flush(): Promise<void> {
    this.cancelPendingSave();
    if (this.saveInFlight !== null) await this.saveInFlight;
    if (this.dirty) await this.saveNow();
  }

  private changed(edited: boolean): void {
    if (this.selected !== null && !this.history.present.some((segment) => segment.id === this.selected)) this.selected = null;
    if (edited) {
      this.dirty = true;
      this.cancelPendingSave();
      this.cancelTimer = this.options.schedule(() => {
        this.cancelTimer = null;
        void this.saveNow();
      }, this.options.autosaveDelayMs);
    }
    this.onChange();
  }

  private cancelPendingSave(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private saveNow(): Promise<void> {
    if (this.saveInFlight !== null) {
      this.saveAgain = true;
      return this.saveInFlight;
    }
    if (!this.dirty) return Promise.resolve();
    this.dirty = false;
    this.saving = true;
    this.onChange();
    const edits = this.toSaved();
    this.saveInFlight = (async () => {
      try {
        const response = await this.options.save(edits);
        this.lastSavedAt = savedAtOf(response) ?? edits.savedAt;
        this.saveError = null;
      } catch (error) {
        this.saveError = error instanceof Error && error.message !== '' ? error.message : 'The edits could not be saved.';
        // Still unsaved: the next change (or flush) tries again.
        this.dirty = true;
      } finally {
        this.saving = false;
        this.saveInFlight = null;
      }
      const again = this.saveAgain;
      this.saveAgain = false;
      this.onChange();
      if (again && this.dirty && this.cancelTimer === null) await this.saveNow();
    })();
    return this.saveInFlight;
  }
}

/** The host answers `{ savedAt }`; anything else means "saved, time unknown". */
function savedAtOf(response: unknown): string | null {
  if (typeof response === 'object' && response !== null && 'savedAt' in response) {
    const value = (response as { savedAt: unknown }).savedAt;
    if (typeof value === 'string') return value;
  }
  return null;
}

/**
 * One frame's length from the model's segments: they carry frame numbers at the video's average
 * frame rate, so frames / seconds over the longest one gives it. null when no segment tells.
 */
export function frameSecondsOf(segments: readonly Segment[]): number | null {
  let best: Segment | null = null;
  for (const segment of segments) {
    if (segment.endFrame > segment.startFrame && segment.endSeconds > segment.startSeconds) {
      if (best === null || segment.endSeconds - segment.startSeconds > best.endSeconds - best.startSeconds) best = segment;
    }
  }
  if (best === null) return null;
  const seconds = (best.endSeconds - best.startSeconds) / (best.endFrame - best.startFrame);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

/**
 * Saved edits come from disk: every field is checked, and the list comes back sorted by start.
 * Overlapping or malformed segments are refused with the reason, rather than drawn wrong.
 */
export function checkSavedEdits(saved: unknown, labels: readonly string[]): EditedSegment[] {
  const fail = (message: string): never => {
    throw new LongviewError('input', 'bad-edits', `The saved edits cannot be used: ${message}`);
  };
  if (typeof saved !== 'object' || saved === null) return fail('they are not an object.');
  const value = saved as Partial<SavedEdits>;
  if (value.version !== 1) return fail('they were written by another version of Longview.');
  if (typeof value.analysisKey !== 'string') return fail('they do not say which analysis they belong to.');
  if (!Array.isArray(value.segments)) return fail('they hold no segment list.');
  const ids = new Set<string>();
  const segments = value.segments.map((entry: unknown, position: number): EditedSegment => {
    const segment = entry as Partial<EditedSegment> | null;
    if (typeof segment !== 'object' || segment === null) return fail(`entry ${position} is not a segment.`);
    const { id, startSeconds, endSeconds, label, labelIndex, confidence, origin } = segment;
    if (typeof id !== 'string' || id === '' || ids.has(id)) return fail(`entry ${position} has a missing or repeated id.`);
    ids.add(id);
    if (typeof startSeconds !== 'number' || typeof endSeconds !== 'number' || !Number.isFinite(startSeconds) || !Number.isFinite(endSeconds) || endSeconds <= startSeconds || startSeconds < 0) {
      return fail(`entry ${position} has no valid time span.`);
    }
    if (typeof labelIndex !== 'number' || !Number.isInteger(labelIndex) || labelIndex < 0 || (labels.length > 0 && labelIndex >= labels.length)) {
      return fail(`entry ${position} has a label index that is not one of the model's labels.`);
    }
    if (typeof label !== 'string') return fail(`entry ${position} has no label.`);
    if (typeof confidence !== 'number' || !Number.isFinite(confidence)) return fail(`entry ${position} has no confidence.`);
    if (origin !== 'model' && origin !== 'edited') return fail(`entry ${position} has an unknown origin.`);
    return { id, startSeconds, endSeconds, label: labels[labelIndex] ?? label, labelIndex, confidence, origin };
  });
  segments.sort((first, second) => first.startSeconds - second.startSeconds);
  for (let position = 1; position < segments.length; position += 1) {
    if (segments[position]!.startSeconds < segments[position - 1]!.endSeconds) return fail('two segments overlap.');
  }
  return segments;
}
