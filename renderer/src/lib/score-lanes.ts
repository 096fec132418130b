/**
 * Heat strips under the timeline: the classes the model saw most over the whole video (top K by
 * mean softmax across windows) and, per window, each class's probability.
 *
 * Windows arrive live, one every few seconds, and a 3-hour video has 1,000+ of them × 400
 * classes. So `ScoreLanes` keeps each window's softmax once (a Float32Array, 1.6 kB for 400
 * classes) and a running sum per class; appending a window costs O(classes) and choosing the top
 * K costs O(classes · K), never a pass over all windows.
 */
import type { WindowResult } from '../../../src/shared/analysis.js';
import { LongviewError } from '../../../src/shared/errors.js';

export interface LaneClass {
  /** Index into the model's labels. */
  index: number;
  label: string;
  /** Mean softmax probability over all windows so far, 0..1. */
  meanScore: number;
}

/** One window as the lanes see it: its time span and every class's probability. */
export interface LaneWindow {
  /** The window's own index (WindowResult.index). */
  index: number;
  startSeconds: number;
  endSeconds: number;
  /** softmax(logits), one per class. */
  probabilities: Float32Array;
}

export const DEFAULT_LANE_COUNT = 6;

/** Writes softmax(logits) into `into`. Stable: the largest logit is subtracted before exp. Logits must be finite. */
export function softmaxInto(logits: ArrayLike<number>, into: Float32Array): Float32Array {
  let largest = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < logits.length; index += 1) largest = Math.max(largest, logits[index]!);
  let total = 0;
  const exponentials = new Float64Array(logits.length);
  for (let index = 0; index < logits.length; index += 1) {
    const exponential = Math.exp(logits[index]! - largest);
    exponentials[index] = exponential;
    total += exponential;
  }
  for (let index = 0; index < logits.length; index += 1) into[index] = exponentials[index]! / total;
  return into;
}

export class ScoreLanes {
  readonly labels: readonly string[];
  readonly laneCount: number;
  /** Sorted by startSeconds (then index); a window index appears once. */
  readonly windows: LaneWindow[] = [];
  /** Sum of each class's probability over `windows`, float64 so 1,000+ additions keep their precision. */
  private readonly sums: Float64Array;
  private topCache: LaneClass[] | null = null;

  constructor(labels: readonly string[], laneCount = DEFAULT_LANE_COUNT) {
    this.labels = labels;
    this.laneCount = Math.max(0, Math.min(labels.length, Math.floor(laneCount)));
    this.sums = new Float64Array(labels.length);
  }

  /**
   * Adds one window (or replaces the one with the same index). Refuses a window whose logits do
   * not match the labels or are not finite numbers, so a bad window cannot poison every mean.
   */
  append(window: WindowResult): void {
    const logits = window.logits;
    if (!Array.isArray(logits) || logits.length !== this.labels.length) {
      throw new LongviewError('input', 'logit-count', `Window ${describeIndex(window.index)} has ${Array.isArray(logits) ? logits.length : 'no'} scores for ${this.labels.length} labels.`);
    }
    for (const value of logits) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new LongviewError('input', 'logit-value', `Window ${describeIndex(window.index)} has a score that is not a finite number.`);
      }
    }
    if (!Number.isFinite(window.startSeconds) || !Number.isFinite(window.endSeconds) || window.endSeconds < window.startSeconds) {
      throw new LongviewError('input', 'window-time', `Window ${describeIndex(window.index)} has no valid time span.`);
    }
    const entry: LaneWindow = {
      index: window.index,
      startSeconds: window.startSeconds,
      endSeconds: window.endSeconds,
      probabilities: softmaxInto(logits, new Float32Array(logits.length)),
    };
    const existing = this.findByIndex(window.index);
    if (existing >= 0) {
      this.addToSums(this.windows[existing]!.probabilities, -1);
      this.windows.splice(existing, 1);
    }
    this.insertSorted(entry);
    this.addToSums(entry.probabilities, 1);
    this.topCache = null;
  }

  /** The top classes by mean probability, best first; ties go to the lower label index. */
  top(): LaneClass[] {
    if (this.topCache !== null) return this.topCache;
    const count = this.windows.length;
    const chosen: number[] = [];
    if (count > 0) {
      // Partial selection: K passes of O(classes) beat sorting 400 classes for K = 6.
      const used = new Uint8Array(this.labels.length);
      for (let lane = 0; lane < this.laneCount; lane += 1) {
        let best = -1;
        for (let index = 0; index < this.sums.length; index += 1) {
          if (used[index] === 0 && (best < 0 || this.sums[index]! > this.sums[best]!)) best = index;
        }
        if (best < 0) break;
        used[best] = 1;
        chosen.push(best);
      }
    }
    this.topCache = chosen.map((index) => ({ index, label: this.labels[index]!, meanScore: this.sums[index]! / count }));
    return this.topCache;
  }

  /** The windows' probabilities of the top classes: rows[lane][window], for drawing strips. */
  laneRows(): Float32Array[] {
    return this.top().map((lane) => Float32Array.from(this.windows, (window) => window.probabilities[lane.index]!));
  }

  /** The K most probable classes of one window, best first. */
  topOfWindow(window: LaneWindow, count: number): LaneClass[] {
    const result: LaneClass[] = [];
    const used = new Uint8Array(window.probabilities.length);
    for (let pick = 0; pick < Math.min(count, window.probabilities.length); pick += 1) {
      let best = -1;
      for (let index = 0; index < window.probabilities.length; index += 1) {
        if (used[index] === 0 && (best < 0 || window.probabilities[index]! > window.probabilities[best]!)) best = index;
      }
      used[best] = 1;
      result.push({ index: best, label: this.labels[best]!, meanScore: window.probabilities[best]! });
    }
    return result;
  }

  /**
   * The window that "owns" `seconds`: windows overlap (stride < length), so each owns the time
   * from its start to the next one's start, the last one to its end. null outside every window.
   */
  windowAt(seconds: number): LaneWindow | null {
    let low = 0;
    let high = this.windows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.windows[middle]!.startSeconds <= seconds) low = middle + 1;
      else high = middle;
    }
    // The last window starting at or before `seconds`: the next one starts later, so it owns the time up to its own end.
    const owner = this.windows[low - 1];
    return owner !== undefined && seconds < owner.endSeconds ? owner : null;
  }

  private findByIndex(index: number): number {
    // Live windows are appended in order, so the match, when there is one, is almost always last.
    for (let position = this.windows.length - 1; position >= 0; position -= 1) {
      if (this.windows[position]!.index === index) return position;
    }
    return -1;
  }

  private insertSorted(entry: LaneWindow): void {
    let position = this.windows.length;
    while (position > 0 && compareWindows(this.windows[position - 1]!, entry) > 0) position -= 1;
    this.windows.splice(position, 0, entry);
  }

  private addToSums(probabilities: Float32Array, sign: 1 | -1): void {
    for (let index = 0; index < probabilities.length; index += 1) this.sums[index] = this.sums[index]! + sign * probabilities[index]!;
  }
}

/** Lanes for a finished analysis in one go. */
export function scoreLanes(windows: readonly WindowResult[], labels: readonly string[], laneCount = DEFAULT_LANE_COUNT): ScoreLanes {
  const lanes = new ScoreLanes(labels, laneCount);
  for (const window of windows) lanes.append(window);
  return lanes;
}

function compareWindows(first: LaneWindow, second: LaneWindow): number {
  return first.startSeconds - second.startSeconds || first.index - second.index;
}

function describeIndex(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '(unnumbered)';
}
