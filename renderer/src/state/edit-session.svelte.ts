/**
 * The edit session as the components see it: runes over `EditSessionCore` (which holds the
 * logic and is tested without Svelte). Every change in the core is copied into $state here, so
 * `session.segments`, `session.selectedId`, `session.canUndo`, … are reactive wherever read.
 *
 * `segments` is `$state.raw`: the list is replaced, never mutated, and 600 segments need no deep
 * proxies (which would also break the identity checks that make undo cheap).
 */
import type { Segment } from '../../../src/shared/analysis.js';
import type { EditedSegment, SavedEdits } from '../../../src/shared/api.js';
import { EditSessionCore, type Scheduler } from '../lib/edit-session-core.js';
import type { EditOperation, EditOutcome } from '../lib/edit-operations.js';

export class EditSession {
  readonly core: EditSessionCore;
  /** Sorted by start, never overlapping; replaced on every change, so treat it as read-only. */
  segments: EditedSegment[] = $state.raw([]);
  #selectedId: string | null = $state(null);
  #labels: readonly string[] = $state.raw([]);
  #canUndo = $state(false);
  #canRedo = $state(false);
  #saving = $state(false);
  #lastSavedAt: string | null = $state(null);
  #saveError: string | null = $state(null);

  constructor(save: (edits: SavedEdits) => Promise<unknown>, options: { schedule?: Scheduler; autosaveDelayMs?: number } = {}) {
    this.core = new EditSessionCore({ save, ...options });
    this.core.onChange = () => this.#sync();
  }

  get selectedId(): string | null {
    return this.#selectedId;
  }

  set selectedId(id: string | null) {
    this.select(id);
  }

  get labels(): readonly string[] {
    return this.#labels;
  }

  get analysisKey(): string {
    return this.core.analysisKey;
  }

  get canUndo(): boolean {
    return this.#canUndo;
  }

  get canRedo(): boolean {
    return this.#canRedo;
  }

  get saving(): boolean {
    return this.#saving;
  }

  get lastSavedAt(): string | null {
    return this.#lastSavedAt;
  }

  get saveError(): string | null {
    return this.#saveError;
  }

  /** The selected segment, or null. */
  get selected(): EditedSegment | null {
    const id = this.#selectedId;
    return id === null ? null : (this.segments.find((segment) => segment.id === id) ?? null);
  }

  apply(operation: EditOperation): EditOutcome {
    return this.core.apply(operation);
  }

  endGesture(): void {
    this.core.endGesture();
  }

  undo(): void {
    this.core.undo();
  }

  redo(): void {
    this.core.redo();
  }

  select(id: string | null): void {
    this.core.select(id);
  }

  setBounds(durationSeconds: number, frameSeconds?: number): void {
    this.core.setBounds(durationSeconds, frameSeconds);
  }

  resetFromModel(segments: Segment[], labels: string[], analysisKey: string): void {
    this.core.resetFromModel(segments, labels, analysisKey);
  }

  load(saved: SavedEdits): void {
    this.core.load(saved);
  }

  toSaved(): SavedEdits {
    return this.core.toSaved();
  }

  flush(): Promise<void> {
    return this.core.flush();
  }

  #sync(): void {
    const core = this.core;
    if (this.segments !== core.segments) this.segments = core.segments as EditedSegment[];
    if (this.#labels !== core.labels) this.#labels = core.labels;
    this.#selectedId = core.selectedId;
    this.#canUndo = core.canUndo;
    this.#canRedo = core.canRedo;
    this.#saving = core.saving;
    this.#lastSavedAt = core.lastSavedAt;
    this.#saveError = core.saveError;
  }
}
