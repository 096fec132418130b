import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/export/csv.js';
import { toEaf } from '../../src/export/eaf.js';
import { EXPORT_FORMATS, formatFromPath, isExportFormat, serialize } from '../../src/export/formats.js';
import { toSrt } from '../../src/export/srt.js';
import { toWebVtt } from '../../src/export/webvtt.js';
import { sampleDocument } from './document-fixtures.js';

describe('formatFromPath', () => {
  it.each([
    ['analysis.json', 'json'],
    ['/out/holiday.CSV', 'csv'],
    ['C:\\exports\\clip.vtt', 'vtt'],
    ['subtitles.en.srt', 'srt'],
    ['./elan/project.Eaf', 'eaf'],
  ])('%s → %s', (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });

  it.each(['notes.txt', 'no-extension', 'archive.json.gz', '.json', 'folder.vtt/', 'C:\\exports\\'])('has no format for %j', (path) => {
    expect(formatFromPath(path)).toBeUndefined();
  });
});

describe('isExportFormat', () => {
  it.each([
    ['json', true],
    ['eaf', true],
    ['JSON', false],
    ['webvtt', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isExportFormat(value)).toBe(expected);
  });
});

describe('serialize', () => {
  const document = sampleDocument();

  it('writes JSON indented by two spaces with a final newline, parsing back to the document', () => {
    const text = serialize(document, 'json');
    expect(text.startsWith('{\n  "format": "longview-analysis",\n  "version": 1,\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(document);
  });

  it.each([
    ['csv', toCsv],
    ['vtt', toWebVtt],
    ['srt', toSrt],
    ['eaf', toEaf],
  ] as const)('writes %s with its exporter', (format, exporter) => {
    expect(serialize(document, format)).toBe(exporter(document));
  });

  it('covers every format it lists', () => {
    for (const format of EXPORT_FORMATS) expect(serialize(document, format).length).toBeGreaterThan(0);
  });
});
