import { describe, expect, it } from 'vitest';
import { buildResultDocument } from '../../src/export/document.js';
import { softmax } from '../../src/analysis/softmax.js';
import { documentInput, PLAIN_LABELS, segment } from './document-fixtures.js';

describe('buildResultDocument', () => {
  it('fills the header fields from its inputs', () => {
    const document = buildResultDocument(documentInput(PLAIN_LABELS, []));
    expect(document).toMatchObject({
      format: 'longview-analysis',
      version: 1,
      createdAt: '2025-03-01T12:30:45.123Z',
      app: { name: 'longview', version: '0.1.0' },
      video: { path: '/videos/holiday clips/day #1 – é.mp4', averageFrameRate: 29.97 },
      model: { id: 'facebook/timesformer-base-finetuned-k400', labels: PLAIN_LABELS },
      analysis: { backend: 'wasm (SIMD, 2 threads)', complete: true, partialReason: null },
    });
  });

  it('lists each window\'s top five classes by softmax probability', () => {
    const input = documentInput(PLAIN_LABELS, []);
    const document = buildResultDocument(input);
    const first = document.windows[0]!;
    const probabilities = softmax(input.windows[0]!.logits);
    expect(first.top.map((entry) => entry.index)).toEqual([5, 4, 3, 2, 1]);
    expect(first.top[0]).toEqual({ label: 'riding a bike', index: 5, score: probabilities[5] });
    // Equal logits: equal probabilities, lower class index first.
    expect(document.windows[2]!.top.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4]);
    expect(document.windows[2]!.top[0]!.score).toBeCloseTo(1 / PLAIN_LABELS.length, 12);
    expect(document.windows.map((window) => [window.index, window.startSeconds, window.endSeconds, window.padded])).toEqual([
      [0, 0, 12.8, false],
      [1, 6.4, 19.2, false],
      [2, 25.6, 30.1, true],
    ]);
  });

  it.each([
    ['overlapping and separate windows', [[0, 12.8], [6.4, 19.2], [25.6, 30.1]], 19.2 + 4.5],
    ['no windows', [], 0],
    ['one window inside another', [[0, 10], [2, 3]], 10],
    ['windows out of order', [[20, 30], [0, 10], [5, 15]], 25],
  ])('counts analysed seconds once per second covered: %s', (_, spans, expected) => {
    const input = documentInput(PLAIN_LABELS, []);
    input.windows = spans.map(([startSeconds, endSeconds], index) => ({ index, startSeconds: startSeconds!, endSeconds: endSeconds!, padded: false, logits: PLAIN_LABELS.map(() => 0) }));
    expect(buildResultDocument(input).analysis.analyzedSeconds).toBeCloseTo(expected, 9);
  });

  it('keeps the partial reason only for a partial analysis', () => {
    const input = documentInput(PLAIN_LABELS, []);
    input.completion = { complete: false, partialReason: 'the file ends early: decoded 12.0 of 30.0 s' };
    expect(buildResultDocument(input).analysis.partialReason).toBe('the file ends early: decoded 12.0 of 30.0 s');
    input.completion = { complete: true, partialReason: 'stale text' };
    expect(buildResultDocument(input).analysis.partialReason).toBeNull();
  });

  it('survives a JSON round trip with every number exactly as it was', () => {
    const awkward = [0.1 + 0.2, 1 / 3, Math.fround(0.7), 5e-324, 1e21, 123456.789e-10];
    const segments = awkward.map((value, index) => ({ ...segment(index, index + value, 0, PLAIN_LABELS), confidence: Math.min(value, 1) }));
    const document = buildResultDocument(documentInput(PLAIN_LABELS, segments));
    const reparsed = JSON.parse(JSON.stringify(document)) as typeof document;
    expect(reparsed).toEqual(document);
    expect(reparsed.segments.map((entry) => entry.endSeconds - entry.startSeconds)).toEqual(document.segments.map((entry) => entry.endSeconds - entry.startSeconds));
  });

  it('copies its inputs instead of sharing them', () => {
    const input = documentInput(PLAIN_LABELS, [segment(0, 5, 1, PLAIN_LABELS)]);
    const document = buildResultDocument(input);
    input.model.labels[0] = 'changed';
    input.normalization.mean[0] = 99;
    (input.segments[0]!.alternatives as { label: string }[])[0]!.label = 'changed';
    expect(document.model.labels[0]).toBe('archery');
    expect(document.analysis.normalization.mean[0]).toBe(0.45);
    expect(document.segments[0]!.alternatives[0]!.label).toBe('archery');
  });

  it.each([
    ['a NaN confidence', (input: ReturnType<typeof documentInput>) => { input.segments = [{ ...segment(0, 1, 0, PLAIN_LABELS), confidence: Number.NaN }]; }, 'document.segments[0].confidence'],
    ['an infinite duration', (input: ReturnType<typeof documentInput>) => { input.video = { ...input.video, durationSeconds: Number.POSITIVE_INFINITY }; }, 'document.video.durationSeconds'],
  ])('refuses %s, which JSON would turn into null', (_, spoil, where) => {
    const input = documentInput(PLAIN_LABELS, []);
    spoil(input);
    expect(() => buildResultDocument(input)).toThrow(expect.objectContaining({ kind: 'internal', reason: 'non-finite-number', message: expect.stringContaining(where) }));
  });
});
