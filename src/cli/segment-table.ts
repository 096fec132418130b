/** Segments as a plain-text table for the terminal: times, label, confidence, runners-up. */
import type { Segment } from '../shared/analysis.js';

/** 83.25 → "0:01:23.2"; tenths, because segment edges are no finer than a sampled frame. */
export function formatSeconds(seconds: number): string {
  const tenths = Math.max(0, Math.round(seconds * 10));
  const whole = Math.floor(tenths / 10);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}.${tenths % 10}`;
}

/** Labels come from model files: keep the table one line per segment whatever they contain. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

export function segmentTable(segments: readonly Segment[]): string {
  if (segments.length === 0) return 'No segments: no class reached the --enter threshold anywhere.\n';
  const rows = segments.map((segment) => [
    formatSeconds(segment.startSeconds),
    formatSeconds(segment.endSeconds),
    printable(segment.label),
    segment.confidence.toFixed(2),
    segment.alternatives.map((alternative) => `${printable(alternative.label)} ${alternative.score.toFixed(2)}`).join(', '),
  ]);
  const header = ['start', 'end', 'label', 'conf', 'alternatives'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]): string => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}
