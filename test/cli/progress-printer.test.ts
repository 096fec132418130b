import { describe, expect, it } from 'vitest';
import type { SamplingParams, WindowResult } from '../../src/shared/analysis.js';
import type { AnalysisEvent } from '../../src/shared/analysis-events.js';
import { eventJson, milestoneLine, ProgressPrinter } from '../../src/cli/progress-printer.js';

const sampling: SamplingParams = { samplingFps: 30, frameStride: 4, windowFrames: 96, windowStrideFrames: 48, imageSize: 224 };

function windowEvent(index: number, total: number): AnalysisEvent {
  const window: WindowResult = {
    index,
    startFrame: index * 48,
    realFrames: 96,
    padded: false,
    frameTimes: [index * 6.4],
    startSeconds: index * 6.4,
    endSeconds: index * 6.4 + 12.8,
    logits: [1, 2],
    heatmap: { frames: 1, height: 1, width: 1, data: new Uint8Array([7]), maximum: 1 },
  };
  return { type: 'window', window, top: [{ label: 'evil\u001b[2J', index: 1, score: 0.73 }], windowsDone: index + 1, windowsTotal: total, computeSeconds: 1 };
}

function capture(style: 'bar' | 'lines' | 'json' | 'none') {
  let text = '';
  return { printer: new ProgressPrinter({ write: (chunk) => void (text += chunk) }, style), text: () => text };
}

describe('milestoneLine', () => {
  it.each([
    [{ type: 'plan', sampling, windowsTotal: 10, windowsStored: 0, storePath: '/s' }, 'windows: 96 frames (1 in 4 at 30 fps) = 12.8 s, one every 6.4 s · 10 expected'],
    [{ type: 'plan', sampling, windowsTotal: 10, windowsStored: 4, storePath: '/s' }, 'windows: 96 frames (1 in 4 at 30 fps) = 12.8 s, one every 6.4 s · 10 expected · 4 stored: resuming'],
    [{ type: 'plan', sampling, windowsTotal: 10, windowsStored: 10, storePath: '/s' }, 'windows: 96 frames (1 in 4 at 30 fps) = 12.8 s, one every 6.4 s · 10 expected · all stored: re-segmenting only'],
    [{ type: 'loaded', backend: 'wasm', details: 'wasm (SIMD, 2 threads); skipped: x' }, 'backend: wasm (SIMD, 2 threads); skipped: x'],
    [{ type: 'decoded', windowsTotal: 3, partialReason: 'the file ends early' }, 'warning: the file ends early'],
    [{ type: 'decoded', windowsTotal: 3, partialReason: null }, undefined],
    [{ type: 'finished', windows: 10, computedNow: 6, partialReason: null }, 'done: 10 windows (6 computed now, 4 from the store)'],
  ] as [AnalysisEvent, string | undefined][])('%j', (event, line) => {
    expect(milestoneLine(event)).toBe(line);
  });
});

describe('ProgressPrinter', () => {
  it('json: one line per event, without logits, heatmap bytes or frame times', () => {
    const json = JSON.parse(eventJson(windowEvent(2, 5))) as { window: Record<string, unknown>; windowsDone: number };
    expect(json.windowsDone).toBe(3);
    expect(json.window).toEqual({ index: 2, startFrame: 96, realFrames: 96, padded: false, startSeconds: 12.8, endSeconds: 25.6 });
    const { printer, text } = capture('json');
    printer.handle(windowEvent(0, 5), 0);
    printer.handle({ type: 'layer', window: 1, done: 1, total: 12 }, 1);
    expect(text().trimEnd().split('\n').map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['window', 'layer']);
  });

  it('lines: a status line at most every five seconds, with the label made printable', () => {
    const { printer, text } = capture('lines');
    printer.handle({ type: 'plan', sampling, windowsTotal: 5, windowsStored: 0, storePath: '/s' }, 0);
    printer.handle({ type: 'loaded', backend: 'wasm', details: 'wasm' }, 0);
    for (const [index, now] of [[0, 1_000], [1, 2_000], [2, 6_500], [3, 7_000]] as const) printer.handle(windowEvent(index, 5), now);
    const lines = text().trimEnd().split('\n');
    expect(lines.slice(2)).toHaveLength(2);
    expect(lines[2]).toMatch(/^1\/5 windows · 20% · .*× real time · .* left · at 0:00:12 · evil \[2J 0\.73$/);
    expect(lines[3]).toMatch(/^3\/5 windows · 60%/);
  });

  it('bar: redraws in place and clears itself before a milestone and at the end', () => {
    const { printer, text } = capture('bar');
    printer.handle(windowEvent(0, 5), 1_000);
    expect(text()).toMatch(/^\r\[#+\.+\] 1\/5 windows/);
    printer.handle({ type: 'finished', windows: 5, computedNow: 5, partialReason: null }, 2_000);
    expect(text()).toMatch(/\r\x1b\[Kdone: 5 windows/);
    printer.close();
    expect(text().endsWith('\n')).toBe(true);
  });

  it('none: silent', () => {
    const { printer, text } = capture('none');
    printer.handle(windowEvent(0, 5), 0);
    expect(text()).toBe('');
  });
});
