import { describe, expect, it } from 'vitest';
import type { SamplingParams } from '../../src/shared/analysis.js';
import { WindowAssembler, type AssembledWindow } from '../../src/analysis/window-assembler.js';
import { windowCount } from '../../src/analysis/sampling.js';

/** 2×2 images so a frame is 12 bytes; every byte of frame i is i (mod 256). */
function sampling(windowFrames: number, windowStrideFrames: number): SamplingParams {
  return { samplingFps: 30, frameStride: 3, windowFrames, windowStrideFrames, imageSize: 2 };
}

function run(frames: number, params: SamplingParams, firstWindow = 0): { windows: AssembledWindow[]; maxHeld: number } {
  const assembler = new WindowAssembler(params, firstWindow);
  const windows: AssembledWindow[] = [];
  let maxHeld = 0;
  for (let index = assembler.nextStartFrame; index < frames; index++) {
    windows.push(...assembler.push({ index, seconds: index * 0.1, rgb: new Uint8Array(12).fill(index % 256) }));
    maxHeld = Math.max(maxHeld, assembler.heldFrames);
  }
  const last = assembler.finish();
  if (last !== undefined) windows.push(last);
  return { windows, maxHeld };
}

describe('WindowAssembler', () => {
  // frames, window, stride → [startFrame, realFrames, padded] per window
  const cases: [string, number, number, number, [number, number, boolean][]][] = [
    ['no frames', 0, 4, 2, []],
    ['shorter than a window: one padded window', 3, 4, 2, [[0, 3, true]]],
    ['exactly one window', 4, 4, 2, [[0, 4, false]]],
    ['half-window stride, exact fit', 6, 4, 2, [[0, 4, false], [2, 4, false]]],
    ['one frame left over: padded tail', 7, 4, 2, [[0, 4, false], [2, 4, false], [4, 3, true]]],
    ['stride equal to the window', 9, 4, 4, [[0, 4, false], [4, 4, false], [8, 1, true]]],
    ['stride longer than the window leaves gaps, tail in a gap is skipped', 7, 2, 5, [[0, 2, false], [5, 2, false]]],
    ['stride longer than the window, tail inside the next window', 11, 2, 5, [[0, 2, false], [5, 2, false], [10, 1, true]]],
    ['stride 1', 5, 3, 1, [[0, 3, false], [1, 3, false], [2, 3, false]]],
  ];
  it.each(cases)('%s', (_name, frames, window, stride, expected) => {
    const params = sampling(window, stride);
    const { windows } = run(frames, params);
    expect(windows.map((w) => [w.startFrame, w.realFrames, w.padded])).toEqual(expected);
    expect(windows.map((w) => w.index)).toEqual(expected.map((_, i) => i));
    expect(windowCount(frames, params)).toBe(expected.length);
  });

  it('fills each window with its frames in order and pads by repeating the last real frame', () => {
    const { windows } = run(7, sampling(4, 2));
    const firstByteOfEachFrame = (w: AssembledWindow) => Array.from({ length: 4 }, (_, slot) => w.pixels[slot * 12]);
    expect(windows.map(firstByteOfEachFrame)).toEqual([
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [4, 5, 6, 6],
    ]);
    expect(windows[2]!.frameTimes).toEqual([0.4, 0.5, 0.6].map((t) => expect.closeTo(t, 12)) as unknown as number[]);
    // The window ends one sampled frame (frameStride / samplingFps = 0.1 s) after its last real frame.
    expect(windows[2]!.startSeconds).toBeCloseTo(0.4, 12);
    expect(windows[2]!.endSeconds).toBeCloseTo(0.7, 12);
  });

  it('never reaches past the end of the video', () => {
    const assembler = new WindowAssembler(sampling(4, 2), 0, 0.65);
    for (let index = 0; index < 7; index++) assembler.push({ index, seconds: index * 0.1, rgb: new Uint8Array(12) });
    expect(assembler.finish()!.endSeconds).toBeCloseTo(0.65, 12);
    // A claimed end before the last frame (metadata lies) never cuts a window shorter than its frames.
    const lying = new WindowAssembler(sampling(4, 2), 0, 0.2);
    const [first] = [0, 1, 2, 3].flatMap((index) => lying.push({ index, seconds: index * 0.1, rgb: new Uint8Array(12) }));
    expect(first!.endSeconds).toBeCloseTo(0.3, 12);
  });

  it('holds at most one window of frames however long the video is', () => {
    const { windows, maxHeld } = run(10_000, sampling(8, 4));
    expect(windows).toHaveLength(windowCount(10_000, sampling(8, 4)));
    expect(maxHeld).toBeLessThanOrEqual(8);
  });

  it('resuming at window w yields exactly the windows from w on', () => {
    const params = sampling(4, 2);
    const full = run(11, params).windows;
    for (let first = 1; first < full.length; first++) {
      const resumed = run(11, params, first).windows;
      expect(resumed.map((w) => [w.index, w.startFrame, w.realFrames, w.padded, Array.from(w.pixels)])).toEqual(
        full.slice(first).map((w) => [w.index, w.startFrame, w.realFrames, w.padded, Array.from(w.pixels)]),
      );
    }
  });

  it('refuses frames out of order or of the wrong size', () => {
    const assembler = new WindowAssembler(sampling(4, 2));
    assembler.push({ index: 0, seconds: 0, rgb: new Uint8Array(12) });
    expect(() => assembler.push({ index: 0, seconds: 0, rgb: new Uint8Array(12) })).toThrow(/after frame 0/);
    expect(() => assembler.push({ index: 1, seconds: 0, rgb: new Uint8Array(11) })).toThrow(/11 bytes/);
  });
});
