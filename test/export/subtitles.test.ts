import { describe, expect, it } from 'vitest';
import { buildResultDocument } from '../../src/export/document.js';
import { toSrt } from '../../src/export/srt.js';
import { clockTime } from '../../src/export/timestamps.js';
import { toWebVtt } from '../../src/export/webvtt.js';
import type { ResultDocument } from '../../src/shared/result-document.js';
import { documentInput, HOSTILE_LABELS, PLAIN_LABELS, sampleDocument, segment } from './document-fixtures.js';

interface Cue {
  startMilliseconds: number;
  endMilliseconds: number;
  text: string;
}

function milliseconds(hours: string, minutes: string, seconds: string, fraction: string): number {
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(fraction);
}

/**
 * A strict WebVTT reader for what Longview writes: header, blank-line separated cues of one timing
 * line and one text line, only &amp; &lt; &gt; as references, no raw markup, no stray CR.
 */
function parseWebVtt(text: string): Cue[] {
  expect(text).not.toContain('\r');
  expect(text.endsWith('\n')).toBe(true);
  const [header, ...blocks] = text.slice(0, -1).split('\n\n');
  expect(header).toBe('WEBVTT');
  return blocks.map((block) => {
    const lines = block.split('\n');
    expect(lines).toHaveLength(2);
    const timing = /^(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})$/.exec(lines[0]!);
    expect(timing, `timing line ${lines[0]}`).not.toBeNull();
    const body = lines[1]!;
    expect(body).not.toMatch(/[<>]|-->|&(?!(amp|lt|gt);)/);
    expect(body.trim()).not.toBe('');
    const [, h1, m1, s1, f1, h2, m2, s2, f2] = timing!;
    return {
      startMilliseconds: milliseconds(h1!, m1!, s1!, f1!),
      endMilliseconds: milliseconds(h2!, m2!, s2!, f2!),
      text: body.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
    };
  });
}

/** A strict SubRip reader: cues numbered 1, 2, … in order, one timing line, one non-empty text line, a blank line between. */
function parseSrt(text: string): Cue[] {
  if (text === '') return [];
  expect(text).not.toContain('\r');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n\n').map((block, position) => {
    const lines = block.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(String(position + 1));
    const timing = /^(\d{2,}):([0-5]\d):([0-5]\d),(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d),(\d{3})$/.exec(lines[1]!);
    expect(timing, `timing line ${lines[1]}`).not.toBeNull();
    expect(lines[2]!.trim()).not.toBe('');
    const [, h1, m1, s1, f1, h2, m2, s2, f2] = timing!;
    return { startMilliseconds: milliseconds(h1!, m1!, s1!, f1!), endMilliseconds: milliseconds(h2!, m2!, s2!, f2!), text: lines[2]! };
  });
}

function expectedCues(document: ResultDocument): Cue[] {
  return document.segments.map((entry) => ({ startMilliseconds: Math.round(entry.startSeconds * 1000), endMilliseconds: Math.round(entry.endSeconds * 1000), text: entry.label }));
}

function expectMonotone(cues: readonly Cue[]): void {
  cues.forEach((cue, position) => {
    expect(cue.endMilliseconds).toBeGreaterThan(cue.startMilliseconds);
    if (position > 0) expect(cue.startMilliseconds).toBeGreaterThanOrEqual(cues[position - 1]!.startMilliseconds);
  });
}

const formats = [
  ['WebVTT', toWebVtt, parseWebVtt],
  ['SRT', toSrt, parseSrt],
] as const;

describe.each(formats)('%s export', (_, write, parse) => {
  it('parses back to the same segments, times to the millisecond', () => {
    const document = sampleDocument();
    const cues = parse(write(document));
    expect(cues).toEqual(expectedCues(document));
    expectMonotone(cues);
  });

  it('writes one cue per segment even for hostile labels, each on one line', () => {
    const document = sampleDocument(HOSTILE_LABELS);
    const cues = parse(write(document));
    expect(cues).toHaveLength(document.segments.length);
    expectMonotone(cues);
    for (const cue of cues) expect(cue.text).not.toMatch(/[\u0000-\u001f\u007f\u202e\ud800]/u);
  });

  it('keeps times in order when segments arrive out of order, and never ends a cue at its start', () => {
    const segments = [segment(10, 12, 1, PLAIN_LABELS), segment(2.0004, 2.0004, 0, PLAIN_LABELS), segment(5, 7, 2, PLAIN_LABELS)];
    const cues = parse(write(buildResultDocument(documentInput(PLAIN_LABELS, segments))));
    expect(cues.map((cue) => [cue.startMilliseconds, cue.endMilliseconds])).toEqual([[2000, 2001], [5000, 7000], [10000, 12000]]);
  });

  it('counts hours past 99 instead of wrapping', () => {
    const cues = parse(write(buildResultDocument(documentInput(PLAIN_LABELS, [segment(360_000, 360_001.5, 0, PLAIN_LABELS)]))));
    expect(cues[0]).toMatchObject({ startMilliseconds: 360_000_000, endMilliseconds: 360_001_500 });
  });

  it('writes a file with no cues for no segments', () => {
    expect(parse(write(buildResultDocument(documentInput(PLAIN_LABELS, []))))).toEqual([]);
  });
});

describe('cue text of hostile labels', () => {
  const document = sampleDocument(HOSTILE_LABELS);
  const vtt = parseWebVtt(toWebVtt(document));
  const srt = parseSrt(toSrt(document));

  it.each([
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>', '＜img src=x onerror=alert(1)＞'],
    ['comma, "quote" and\nnewline', 'comma, "quote" and newline', 'comma, "quote" and newline'],
    ['--> arrow', '--> arrow', '--＞ arrow'],
    ['{\\an8}{\\c&H0000FF&}moved', '{\\an8}{\\c&H0000FF&}moved', '｛\\an8｝｛\\c&H0000FF&｝moved'],
    ['ampersand & <b>bold</b> & \'single\'', 'ampersand & <b>bold</b> & \'single\'', 'ampersand & ＜b＞bold＜/b＞ & \'single\''],
    ['controls \u0000\u0007\u001b\u000b\u000c end', 'controls end', 'controls end'],
    ['bidi \u202eesrever', 'bidi esrever', 'bidi esrever'],
    ['', '(no label)', '(no label)'],
  ])('%j reads %j in WebVTT (markup escaped) and %j in SRT (markup defused)', (label, vttText, srtText) => {
    const position = HOSTILE_LABELS.indexOf(label);
    expect(vtt[position]!.text).toBe(vttText);
    expect(srt[position]!.text).toBe(srtText);
  });

  it('never lets markup through raw', () => {
    const rawVtt = toWebVtt(document);
    expect(rawVtt).not.toContain('<img');
    expect(rawVtt).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const srtText = toSrt(document).split('\n').filter((line) => !line.includes(' --> '));
    for (const line of srtText) expect(line).not.toMatch(/[<>{}]/);
  });
});

describe('clockTime', () => {
  it.each([
    [0, '.', '00:00:00.000'],
    [1, ',', '00:00:00,001'],
    [59_999, '.', '00:00:59.999'],
    [3_725_499, '.', '01:02:05.499'],
    [360_000_000, ',', '100:00:00,000'],
    [-5, '.', '00:00:00.000'],
  ] as const)('%i ms with "%s" → %s', (value, separator, text) => {
    expect(clockTime(value, separator)).toBe(text);
  });
});
