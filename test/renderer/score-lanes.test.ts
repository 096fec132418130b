import { describe, expect, it } from 'vitest';
import type { WindowResult } from '../../src/shared/analysis.js';
import { LongviewError } from '../../src/shared/errors.js';
import { ScoreLanes, scoreLanes, softmaxInto } from '../../renderer/src/lib/score-lanes.js';

const labels = ['a', 'b', 'c', 'd'];

function window(index: number, logits: number[], startSeconds = index * 2, endSeconds = startSeconds + 4): WindowResult {
  return {
    index,
    startFrame: index * 8,
    realFrames: 16,
    padded: false,
    frameTimes: [],
    startSeconds,
    endSeconds,
    logits,
    heatmap: { frames: 0, height: 0, width: 0, data: new Uint8Array(), maximum: 0 },
  };
}

describe('softmaxInto', () => {
  it.each([
    [[0, 0], [0.5, 0.5]],
    [[Math.log(1), Math.log(3)], [0.25, 0.75]],
    [[1000, 1000 + Math.log(3)], [0.25, 0.75]], // would overflow exp without the shift
    [[-1000, -1000], [0.5, 0.5]], // would underflow to 0/0
  ])('softmax(%j) = %j', (logits, expected) => {
    const result = softmaxInto(logits, new Float32Array(logits.length));
    expected.forEach((value, index) => expect(result[index]).toBeCloseTo(value, 6));
  });
});

describe('ScoreLanes', () => {
  // probabilities per window: w0 ≈ [.7 .1 .1 .1], w1 ≈ [.1 .7 .1 .1], w2 ≈ [.1 .7 .1 .1]
  const high = Math.log(7);
  const windows = [window(0, [high, 0, 0, 0]), window(1, [0, high, 0, 0]), window(2, [0, high, 0, 0])];

  it('ranks classes by mean probability over the windows', () => {
    const lanes = scoreLanes(windows, labels, 3);
    expect(lanes.top().map((lane) => lane.label)).toEqual(['b', 'a', 'c']);
    expect(lanes.top()[0]!.meanScore).toBeCloseTo((0.1 + 0.7 + 0.7) / 3, 6);
    expect(lanes.top()[1]!.meanScore).toBeCloseTo((0.7 + 0.1 + 0.1) / 3, 6);
  });

  it('gives per-window rows of the top classes', () => {
    const rows = scoreLanes(windows, labels, 2).laneRows();
    expect(rows).toHaveLength(2);
    expect(Array.from(rows[0]!).map((value) => Math.round(value * 10) / 10)).toEqual([0.1, 0.7, 0.7]);
    expect(Array.from(rows[1]!).map((value) => Math.round(value * 10) / 10)).toEqual([0.7, 0.1, 0.1]);
  });

  it('appending live gives the same as computing at once, in any arrival order', () => {
    const live = new ScoreLanes(labels, 4);
    for (const entry of [windows[2]!, windows[0]!, windows[1]!]) live.append(entry);
    const whole = scoreLanes(windows, labels, 4);
    expect(live.top()).toEqual(whole.top());
    expect(live.windows.map((entry) => entry.index)).toEqual([0, 1, 2]);
  });

  it('replaces a window that arrives again instead of counting it twice', () => {
    const lanes = scoreLanes(windows, labels, 1);
    lanes.append(window(1, [high, 0, 0, 0]));
    expect(lanes.windows).toHaveLength(3);
    expect(lanes.top()[0]!.label).toBe('a');
    expect(lanes.top()[0]!.meanScore).toBeCloseTo((0.7 + 0.7 + 0.1) / 3, 6);
  });

  it('caps the lane count at the label count and is empty without windows', () => {
    expect(new ScoreLanes(labels, 10).laneCount).toBe(4);
    expect(new ScoreLanes(labels).top()).toEqual([]);
  });

  it.each([
    ['too few logits', window(0, [1, 2]), 'logit-count'],
    ['a NaN logit', window(0, [1, Number.NaN, 0, 0]), 'logit-value'],
    ['no time span', window(0, [0, 0, 0, 0], 5, 3), 'window-time'],
  ])('refuses a window with %s', (_name, bad, reason) => {
    const lanes = scoreLanes(windows, labels);
    const before = lanes.top();
    try {
      lanes.append(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LongviewError);
      expect((error as LongviewError).reason).toBe(reason);
    }
    expect(lanes.top()).toEqual(before);
  });

  it.each([
    [-0.1, null],
    [0, 0],
    [1.99, 0],
    [2, 1],
    [4.5, 2],
    [7.99, 2],
    [8, null],
  ])('at %d s the owning window is %s', (seconds, expected) => {
    // windows span 0-4, 2-6, 4-8: each owns [start, next start), the last its whole end
    const owner = scoreLanes(windows, labels).windowAt(seconds);
    expect(owner === null ? null : owner.index).toBe(expected);
  });

  it('names the top classes of one window', () => {
    const lanes = scoreLanes(windows, labels);
    const top = lanes.topOfWindow(lanes.windows[0]!, 2);
    expect(top.map((entry) => entry.label)).toEqual(['a', 'b']);
    expect(top[0]!.meanScore).toBeCloseTo(0.7, 6);
  });

  it('stays exact over 1,200 windows × 400 classes', () => {
    const manyLabels = Array.from({ length: 400 }, (_, index) => `class ${index}`);
    const lanes = new ScoreLanes(manyLabels, 6);
    for (let index = 0; index < 1200; index += 1) {
      const logits = manyLabels.map((_, label) => (label === index % 7 ? 5 : label === 100 ? 4 : 0));
      lanes.append(window(index, logits));
    }
    const top = lanes.top();
    expect(top[0]!.index).toBe(100);
    expect(top.slice(1).map((entry) => entry.index).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(lanes.windows).toHaveLength(1200);
  });
});
