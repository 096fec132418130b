import { describe, expect, it } from 'vitest';
import { chooseFrame, chooseHeatmap, chooseWindow, heatmapFrameBytes, letterboxRect, modelCropRect, type HeatmapWindow } from '../../renderer/src/lib/heatmap-frame.js';

/** A window of `frames` sampled frames `step` seconds apart from `start`, each heatmap frame filled with its index. */
function window(start: number, frames: number, step: number, options: { realFrames?: number; patches?: number } = {}): HeatmapWindow & { name: string } {
  const patches = options.patches ?? 2;
  const realFrames = options.realFrames ?? frames;
  const data = new Uint8Array(frames * patches * patches);
  for (let frame = 0; frame < frames; frame++) data.fill(frame, frame * patches * patches, (frame + 1) * patches * patches);
  return {
    name: `w@${start}`,
    startSeconds: start,
    endSeconds: start + realFrames * step,
    frameTimes: Array.from({ length: realFrames }, (_, i) => start + i * step),
    realFrames,
    heatmap: { frames, height: patches, width: patches, data, maximum: 1 },
  };
}

// Windows of 8 frames, 1 s apart, every 4 s: [0,8) [4,12) [8,16).
const windows = [window(0, 8, 1), window(4, 8, 1), window(8, 8, 1)];

describe('chooseWindow', () => {
  it.each<[number, string | null, string]>([
    [0, 'w@0', 'only the first covers the start'],
    [3.9, 'w@0', 'centre 4 is nearer than centre 8'],
    [6.5, 'w@4', 'covered by two; centre 8 is nearer than 4'],
    [6, 'w@0', 'equidistant (2 s from both centres): the earlier wins'],
    [11.99, 'w@8', 'centre 12 is nearer than 8'],
    [15.5, 'w@8', 'only the last covers the tail'],
    [16, 'w@8', 'the last window owns its end'],
    [16.01, null, 'past the analysed part'],
    [-1, null, 'before the video'],
    [Number.NaN, null, 'not a time'],
  ])('t = %s → %s (%s)', (time, expected) => {
    expect(chooseWindow(windows, time)?.name ?? null).toBe(expected);
  });

  it('is null without windows and ignores order', () => {
    expect(chooseWindow([], 1)).toBeNull();
    expect(chooseWindow([...windows].reverse(), 6.5)?.name).toBe('w@4');
  });
});

describe('chooseFrame', () => {
  const padded = window(10, 8, 0.5, { realFrames: 3 });
  it.each([
    [window(0, 8, 1), 0, 0],
    [window(0, 8, 1), 0.99, 0],
    [window(0, 8, 1), 1, 1],
    [window(0, 8, 1), 7.9, 7],
    [window(0, 8, 1), -3, 0],
    [padded, 10.4, 0],
    [padded, 11, 2],
    [padded, 99, 2],
  ])('%# frame at t = %s', (win, time, expected) => {
    expect(chooseFrame(win, time)).toBe(expected);
  });
});

describe('chooseHeatmap and heatmapFrameBytes', () => {
  it('returns the bytes of the chosen frame of the chosen window', () => {
    const choice = chooseHeatmap(windows, 6.5);
    expect(choice?.frame).toBe(2); // w@4: frames at 4,5,6,7 … → 6 ≤ 6.5
    expect([...heatmapFrameBytes(choice!.window.heatmap, choice!.frame)]).toEqual([2, 2, 2, 2]);
  });

  it('refuses frames outside the heatmap instead of reading past it', () => {
    const heatmap = windows[0]!.heatmap;
    expect(heatmapFrameBytes(heatmap, 8).length).toBe(0);
    expect(heatmapFrameBytes(heatmap, -1).length).toBe(0);
    expect(heatmapFrameBytes(heatmap, 1.5).length).toBe(0);
    expect(heatmapFrameBytes({ ...heatmap, data: new Uint8Array(3) }, 0).length).toBe(0);
  });

  it('is null for a window without heatmap frames', () => {
    const empty = { ...window(0, 8, 1), heatmap: { frames: 0, height: 0, width: 0, data: new Uint8Array(0), maximum: 0 } };
    expect(chooseHeatmap([empty], 1)).toBeNull();
  });
});

describe('crop geometry', () => {
  it.each([
    // box, video → letterboxed picture
    [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }, { left: 0, top: 0, width: 1280, height: 720 }],
    [{ width: 1000, height: 1000 }, { width: 1920, height: 1080 }, { left: 0, top: 218.75, width: 1000, height: 562.5 }],
    [{ width: 1000, height: 500 }, { width: 1080, height: 1920 }, { left: 359.375, top: 0, width: 281.25, height: 500 }],
    [{ width: 0, height: 500 }, { width: 640, height: 360 }, { left: 0, top: 0, width: 0, height: 0 }],
    [{ width: 800, height: 600 }, { width: 0, height: 0 }, { left: 0, top: 0, width: 0, height: 0 }],
  ])('letterbox %j showing %j', (box, video, expected) => {
    expect(letterboxRect(box, video)).toEqual(expected);
  });

  it.each([
    // landscape video in a wide box: square of the picture's height, centred horizontally
    [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }, { left: 280, top: 0, width: 720, height: 720 }],
    // landscape video letterboxed top and bottom: the square sits inside the picture, not the box
    [{ width: 1000, height: 1000 }, { width: 1920, height: 1080 }, { left: 218.75, top: 218.75, width: 562.5, height: 562.5 }],
    // portrait (rotated) video: square of the picture's width, centred vertically
    [{ width: 1000, height: 500 }, { width: 1080, height: 1920 }, { left: 359.375, top: 109.375, width: 281.25, height: 281.25 }],
    // square video fills its letterbox exactly
    [{ width: 600, height: 400 }, { width: 224, height: 224 }, { left: 100, top: 0, width: 400, height: 400 }],
  ])('model crop of %j showing %j', (box, video, expected) => {
    expect(modelCropRect(box, video)).toEqual(expected);
  });
});
