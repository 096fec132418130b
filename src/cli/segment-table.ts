/** Segments as a plain-text table for the terminal: times, label, confidence, runners-up. */
import type { Segment } from '../shared/analysis.js';
import { formatTable } from './text-table.js';

/** 83.25 → "0:01:23.2"; tenths, because segment edges are no finer than a sampled frame. */
export function formatSeconds(seconds: number): string {
  const tenths = Math.max(0, Math.round(seconds * 10));
  const whole = Math.floor(tenths / 10);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}.${tenths % 10}`;
}

export function segmentTable(segments: readonly Segment[]): string {
  if (segments.length === 0) return 'No segments: no class reached the --enter threshold anywhere.\n';
  const rows = segments.map((segment) => [
    formatSeconds(segment.startSeconds),
    formatSeconds(segment.endSeconds),
    segment.label,
    segment.confidence.toFixed(2),
    segment.alternatives.map((alternative) => `${alternative.label} ${alternative.score.toFixed(2)}`).join(', '),
  ]);
  return formatTable(['start', 'end', 'label', 'conf', 'alternatives'], rows);
}
