/**
 * Segments as CSV for spreadsheets, per RFC 4180: a header row, one row per segment, CRLF line
 * endings (the RFC's, and what Excel writes), fields quoted only when they hold a comma, quote or
 * line break, quotes doubled inside. Labels are kept whole, line breaks included.
 *
 * Formula injection: a spreadsheet runs a cell that starts with = + - @ (or tab / carriage return)
 * as a formula, so such a label gets a leading apostrophe ('=cmd…), the OWASP advice; spreadsheets
 * show it as text, and the apostrophe is the only change. Numbers are never prefixed; they are
 * written as JavaScript's shortest exact form, so parsing them back gives the same values.
 */
import type { Segment } from '../shared/analysis.js';
import type { ResultDocument } from '../shared/result-document.js';
import { clockTime, toMilliseconds } from './timestamps.js';

/** Runner-up classes given columns of their own. */
const ALTERNATIVE_COLUMNS = 3;

const HEADER = [
  'start_seconds',
  'end_seconds',
  'start_time',
  'end_time',
  'start_frame',
  'end_frame',
  'label',
  'label_index',
  'confidence',
  ...Array.from({ length: ALTERNATIVE_COLUMNS }, (_, position) => [`alternative_${position + 1}`, `alternative_${position + 1}_score`]).flat(),
];

const LINE_END = '\r\n';

export function toCsv(document: ResultDocument): string {
  const rows = [HEADER.map(csvField), ...document.segments.map(segmentRow)];
  return rows.map((row) => row.join(',') + LINE_END).join('');
}

function segmentRow(segment: Segment): string[] {
  const alternatives = Array.from({ length: ALTERNATIVE_COLUMNS }, (_, position) => {
    const alternative = segment.alternatives[position];
    return alternative === undefined ? ['', ''] : [textField(alternative.label), String(alternative.score)];
  }).flat();
  return [
    String(segment.startSeconds),
    String(segment.endSeconds),
    clockTime(toMilliseconds(segment.startSeconds), '.'),
    clockTime(toMilliseconds(segment.endSeconds), '.'),
    String(segment.startFrame),
    String(segment.endFrame),
    textField(segment.label),
    String(segment.labelIndex),
    String(segment.confidence),
    ...alternatives,
  ];
}

/** Free text: defused against formulas, then quoted as needed. */
function textField(text: string): string {
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

/** RFC 4180 quoting. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
