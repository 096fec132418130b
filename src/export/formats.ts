/**
 * The export formats by name and file extension, and the one entry point that turns a result
 * document into the text of any of them. The JSON is the document itself; the others are views.
 */
import { extname } from 'node:path';
import type { ResultDocument } from '../shared/result-document.js';
import { toCsv } from './csv.js';
import { toEaf } from './eaf.js';
import { toSrt } from './srt.js';
import { toWebVtt } from './webvtt.js';

export const EXPORT_FORMATS = ['json', 'csv', 'vtt', 'srt', 'eaf'] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * The format a file name asks for by its extension (any case), or undefined for any other name
 * (and for a folder path), so the caller can say which flag to use instead.
 */
export function formatFromPath(path: string): ExportFormat | undefined {
  // extname ignores a trailing separator, but "out.json/" names a folder, not a JSON file.
  const extension = /[\\/]$/.test(path) ? '' : extname(path).slice(1).toLowerCase();
  return isExportFormat(extension) ? extension : undefined;
}

/** The document as the text of a file in `format`; JSON is indented by 2 spaces and ends with a newline. */
export function serialize(document: ResultDocument, format: ExportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(document, null, 2)}\n`;
    case 'csv':
      return toCsv(document);
    case 'vtt':
      return toWebVtt(document);
    case 'srt':
      return toSrt(document);
    case 'eaf':
      return toEaf(document);
  }
}
