import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/shared/analysis.js';
import type { SavedEdits } from '../../src/shared/api.js';
import { LongviewError } from '../../src/shared/errors.js';
import { EditSessionCore, checkSavedEdits, frameSecondsOf, type Scheduler } from '../../renderer/src/lib/edit-session-core.js';

const labels = ['walking', 'running', 'jumping'];

function modelSegment(startSeconds: number, endSeconds: number, labelIndex: number): Segment {
  return { startSeconds, endSeconds, startFrame: startSeconds * 25, endFrame: endSeconds * 25, label: labels[labelIndex]!, labelIndex, confidence: 0.5, alternatives: [] };
}

/** A scheduler the test runs by hand: no clocks, no timing. */
function manualScheduler(): { schedule: Scheduler; pending: () => number; runAll: () => void } {
  let tasks: { task: () => void; cancelled: boolean }[] = [];
  return {
    schedule: (task) => {
      const entry = { task, cancelled: false };
      tasks.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
    pending: () => tasks.filter((entry) => !entry.cancelled).length,
    runAll: () => {
      const due = tasks.filter((entry) => !entry.cancelled);
      tasks = [];
      for (const entry of due) entry.task();
    },
  };
}

/** A save function whose calls the test settles one by one. */
function controlledSave() {
  const calls: { edits: SavedEdits; resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  const save = (edits: SavedEdits) =>
    new Promise<unknown>((resolve, reject) => {
      calls.push({ edits, resolve, reject });
    });
  return { save, calls };
}

const flushPromises = () => new Promise<void>((resolve) => setImmediate(resolve));

function newSession() {
  const scheduler = manualScheduler();
  const saver = controlledSave();
  let changes = 0;
  const core = new EditSessionCore({ save: saver.save, schedule: scheduler.schedule, now: () => '2026-01-01T00:00:00.000Z' });
  core.onChange = () => {
    changes += 1;
  };
  core.resetFromModel([modelSegment(0, 4, 0), modelSegment(4, 10, 1), modelSegment(10, 12, 2)], labels, 'model@sampling');
  return { core, scheduler, saver, changes: () => changes };
}

describe('EditSessionCore', () => {
  it('starts from the model without saving', () => {
    const { core, scheduler } = newSession();
    expect(core.segments.map((segment) => segment.id)).toEqual(['m0', 'm1', 'm2']);
    expect(core.canUndo).toBe(false);
    expect(scheduler.pending()).toBe(0);
  });

  it('applies, undoes and redoes, notifying each time', () => {
    const { core, changes } = newSession();
    const before = changes();
    expect(core.apply({ type: 'relabel', id: 'm1', labelIndex: 2 }).ok).toBe(true);
    expect(core.segments[1]!.label).toBe('jumping');
    expect(core.selectedId).toBe('m1');
    core.undo();
    expect(core.segments[1]!.label).toBe('running');
    expect(core.canRedo).toBe(true);
    core.redo();
    expect(core.segments[1]!.label).toBe('jumping');
    expect(changes() - before).toBe(3);
  });

  it('returns a refusal and changes nothing', () => {
    const { core, scheduler } = newSession();
    const before = core.segments;
    const outcome = core.apply({ type: 'split', id: 'm0', atSeconds: 9 });
    expect(outcome.ok).toBe(false);
    expect(core.segments).toBe(before);
    expect(scheduler.pending()).toBe(0);
  });

  it('clamps boundaries to the video and to one frame, as told by the model segments', () => {
    const { core } = newSession();
    expect(frameSecondsOf([modelSegment(0, 4, 0)])).toBeCloseTo(0.04, 12);
    core.setBounds(11);
    core.apply({ type: 'moveBoundary', id: 'm2', edge: 'end', seconds: 50 });
    expect(core.segments[2]!.endSeconds).toBe(11);
    core.apply({ type: 'moveBoundary', id: 'm2', edge: 'start', seconds: 50 });
    expect(core.segments[2]!.startSeconds).toBeCloseTo(11 - 0.04, 12);
  });

  it('makes one drag one undo step, and the next drag another', () => {
    const { core } = newSession();
    for (const seconds of [3.5, 3, 2.5]) core.apply({ type: 'moveBoundary', id: 'm0', edge: 'end', seconds });
    core.endGesture();
    core.apply({ type: 'moveBoundary', id: 'm0', edge: 'end', seconds: 2 });
    core.undo();
    expect(core.segments[0]!.endSeconds).toBe(2.5);
    core.undo();
    expect(core.segments[0]!.endSeconds).toBe(4);
    expect(core.canUndo).toBe(false);
  });

  it('drops the selection when its segment goes away', () => {
    const { core } = newSession();
    core.select('m2');
    core.apply({ type: 'remove', id: 'm2' });
    expect(core.selectedId).toBeNull();
    core.select('nope');
    expect(core.selectedId).toBeNull();
  });

  it('autosaves once after a burst of changes', async () => {
    const { core, scheduler, saver } = newSession();
    core.apply({ type: 'relabel', id: 'm0', labelIndex: 1 });
    core.apply({ type: 'relabel', id: 'm1', labelIndex: 0 });
    expect(scheduler.pending()).toBe(1);
    scheduler.runAll();
    expect(core.saving).toBe(true);
    expect(saver.calls).toHaveLength(1);
    expect(saver.calls[0]!.edits).toMatchObject({ version: 1, analysisKey: 'model@sampling', savedAt: '2026-01-01T00:00:00.000Z' });
    expect(saver.calls[0]!.edits.segments.map((segment) => segment.label)).toEqual(['running', 'walking', 'jumping']);
    saver.calls[0]!.resolve({ savedAt: '2026-01-01T00:00:01.000Z' });
    await flushPromises();
    expect(core.saving).toBe(false);
    expect(core.lastSavedAt).toBe('2026-01-01T00:00:01.000Z');
    expect(core.saveError).toBeNull();
  });

  it('saves a change made during a save right after it', async () => {
    const { core, scheduler, saver } = newSession();
    core.apply({ type: 'remove', id: 'm0' });
    scheduler.runAll();
    core.apply({ type: 'remove', id: 'm1' });
    scheduler.runAll();
    expect(saver.calls).toHaveLength(1);
    saver.calls[0]!.resolve({});
    await flushPromises();
    expect(saver.calls).toHaveLength(2);
    expect(saver.calls[1]!.edits.segments.map((segment) => segment.id)).toEqual(['m2']);
  });

  it('surfaces a failed save and retries with the next change', async () => {
    const { core, scheduler, saver } = newSession();
    core.apply({ type: 'remove', id: 'm0' });
    scheduler.runAll();
    saver.calls[0]!.reject(new Error('disk full'));
    await flushPromises();
    expect(core.saveError).toBe('disk full');
    expect(scheduler.pending()).toBe(0);
    core.apply({ type: 'remove', id: 'm1' });
    scheduler.runAll();
    expect(saver.calls).toHaveLength(2);
    saver.calls[1]!.resolve({});
    await flushPromises();
    expect(core.saveError).toBeNull();
    expect(core.lastSavedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('flush saves pending edits at once', async () => {
    const { core, scheduler, saver } = newSession();
    core.apply({ type: 'remove', id: 'm0' });
    const flushed = core.flush();
    expect(scheduler.pending()).toBe(0);
    expect(saver.calls).toHaveLength(1);
    saver.calls[0]!.resolve({});
    await flushed;
    expect(core.saving).toBe(false);
  });

  it('loads saved edits as a fresh history', () => {
    const { core, scheduler } = newSession();
    const saved: SavedEdits = {
      version: 1,
      analysisKey: 'model@sampling',
      savedAt: '2025-12-31T00:00:00.000Z',
      segments: [
        { id: 'm1', startSeconds: 5, endSeconds: 9, label: 'old name', labelIndex: 1, confidence: 0.4, origin: 'edited' },
        { id: 'm0', startSeconds: 0, endSeconds: 5, label: 'walking', labelIndex: 0, confidence: 0.6, origin: 'model' },
      ],
    };
    core.load(saved);
    expect(core.segments.map((segment) => `${segment.id}:${segment.label}`)).toEqual(['m0:walking', 'm1:running']);
    expect(core.canUndo).toBe(false);
    expect(core.lastSavedAt).toBe('2025-12-31T00:00:00.000Z');
    expect(scheduler.pending()).toBe(0);
  });
});

describe('checkSavedEdits', () => {
  const good = { id: 'a', startSeconds: 0, endSeconds: 1, label: 'walking', labelIndex: 0, confidence: 1, origin: 'model' };
  it.each<[string, unknown]>([
    ['null', null],
    ['another version', { version: 2, analysisKey: 'k', segments: [], savedAt: '' }],
    ['no key', { version: 1, segments: [], savedAt: '' }],
    ['no list', { version: 1, analysisKey: 'k', segments: 'x', savedAt: '' }],
    ['a repeated id', { version: 1, analysisKey: 'k', segments: [good, { ...good, startSeconds: 2, endSeconds: 3 }], savedAt: '' }],
    ['a backwards span', { version: 1, analysisKey: 'k', segments: [{ ...good, endSeconds: -1 }], savedAt: '' }],
    ['a label out of range', { version: 1, analysisKey: 'k', segments: [{ ...good, labelIndex: 3 }], savedAt: '' }],
    ['an unknown origin', { version: 1, analysisKey: 'k', segments: [{ ...good, origin: 'magic' }], savedAt: '' }],
    ['overlaps', { version: 1, analysisKey: 'k', segments: [good, { ...good, id: 'b', startSeconds: 0.5, endSeconds: 2 }], savedAt: '' }],
  ])('refuses %s', (_name, saved) => {
    expect(() => checkSavedEdits(saved, labels)).toThrow(LongviewError);
    try {
      checkSavedEdits(saved, labels);
    } catch (error) {
      expect((error as LongviewError).reason).toBe('bad-edits');
    }
  });
});
