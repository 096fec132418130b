import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/export/csv.js';
import { buildResultDocument } from '../../src/export/document.js';
import { documentInput, HOSTILE_LABELS, sampleDocument, segment } from './document-fixtures.js';

/**
 * A strict RFC 4180 reader: CRLF record ends (the last one included), fields quoted with '"' and
 * quotes doubled inside, no quote inside an unquoted field, every record as wide as the header.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let position = 0;
  while (position < text.length) {
    let field = '';
    if (text[position] === '"') {
      position += 1;
      for (;;) {
        if (position >= text.length) throw new Error('unterminated quoted field');
        if (text[position] === '"') {
          if (text[position + 1] === '"') {
            field += '"';
            position += 2;
            continue;
          }
          position += 1;
          break;
        }
        field += text[position];
        position += 1;
      }
    } else {
      while (position < text.length && text[position] !== ',' && text[position] !== '\r' && text[position] !== '\n') {
        if (text[position] === '"') throw new Error(`quote inside an unquoted field at ${position}`);
        field += text[position];
        position += 1;
      }
    }
    record.push(field);
    if (text[position] === ',') {
      position += 1;
    } else if (text.startsWith('\r\n', position)) {
      records.push(record);
      record = [];
      position += 2;
    } else {
      throw new Error(`expected a comma or CRLF at ${position}, found ${JSON.stringify(text[position])}`);
    }
  }
  if (record.length > 0) throw new Error('the last record has no CRLF');
  const width = records[0]?.length;
  for (const row of records) expect(row).toHaveLength(width!);
  return records;
}

function rowsByColumn(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header!.map((name, column) => [name, row[column]!])));
}

describe('toCsv', () => {
  it('has a header row and one row per segment', () => {
    const records = parseCsv(toCsv(sampleDocument()));
    expect(records[0]).toEqual([
      'start_seconds', 'end_seconds', 'start_time', 'end_time', 'start_frame', 'end_frame', 'label', 'label_index', 'confidence',
      'alternative_1', 'alternative_1_score', 'alternative_2', 'alternative_2_score', 'alternative_3', 'alternative_3_score',
    ]);
    expect(records).toHaveLength(sampleDocument().segments.length + 1);
  });

  it('parses back to the same segments, numbers exactly', () => {
    const document = sampleDocument();
    const rows = rowsByColumn(toCsv(document));
    rows.forEach((row, position) => {
      const expected = document.segments[position]!;
      expect(Number(row.start_seconds)).toBe(expected.startSeconds);
      expect(Number(row.end_seconds)).toBe(expected.endSeconds);
      expect([Number(row.start_frame), Number(row.end_frame), Number(row.label_index)]).toEqual([expected.startFrame, expected.endFrame, expected.labelIndex]);
      expect(row.label).toBe(expected.label);
      expect(Number(row.confidence)).toBe(expected.confidence);
      expect(row.alternative_1).toBe(expected.alternatives[0]!.label);
      expect(Number(row.alternative_3_score)).toBe(expected.alternatives[2]!.score);
    });
    expect(rows.at(-1)).toMatchObject({ start_time: '01:00:00.100', end_time: '01:02:05.500' });
  });

  it('keeps a label with a comma, quotes and a line break whole', () => {
    const label = 'comma, "quote" and\nnewline\r\nand CRLF';
    const labels = [label, 'b', 'c', 'd'];
    const text = toCsv(buildResultDocument(documentInput(labels, [segment(0, 5, 0, labels)])));
    expect(text).toContain('"comma, ""quote"" and\nnewline\r\nand CRLF"');
    expect(rowsByColumn(text)[0]!.label).toBe(label);
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'],
    ['+1+cmd|\' /C calc\'!A0', '\'+1+cmd|\' /C calc\'!A0'],
    ['-2+3', '\'-2+3'],
    ['@SUM(A1:A9)', '\'@SUM(A1:A9)'],
    ['carriage\rreturn\ttab', 'carriage\rreturn\ttab'],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
    ['a = b', 'a = b'],
  ])('defuses formulas: %j is read back as %j', (label, expected) => {
    const labels = [label, 'b', 'c', 'd'];
    const [row] = rowsByColumn(toCsv(buildResultDocument(documentInput(labels, [segment(0, 5, 0, labels)]))));
    expect(row!.label).toBe(expected);
  });

  it('defuses formulas in alternative labels too', () => {
    const labels = ['plain', '=1+1', '-x', '@y'];
    const [row] = rowsByColumn(toCsv(buildResultDocument(documentInput(labels, [segment(0, 5, 0, labels)]))));
    expect([row!.alternative_1, row!.alternative_2, row!.alternative_3]).toEqual(['\'=1+1', '\'-x', '\'@y']);
  });

  it('parses for every hostile label, one record per segment', () => {
    const document = sampleDocument(HOSTILE_LABELS);
    const rows = rowsByColumn(toCsv(document));
    expect(rows).toHaveLength(document.segments.length);
    for (const row of rows) expect(row.label).not.toMatch(/^[=+\-@]/);
  });

  it('leaves alternative columns empty when a segment has fewer alternatives', () => {
    const labels = ['only', 'two'];
    const [row] = rowsByColumn(toCsv(buildResultDocument(documentInput(labels, [segment(0, 5, 0, labels)]))));
    expect([row!.alternative_1, row!.alternative_2, row!.alternative_2_score]).toEqual(['two', '', '']);
  });
});
