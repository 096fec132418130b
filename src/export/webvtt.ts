/**
 * Segments as WebVTT subtitles (what browsers' <track> and most players read): a `WEBVTT` header,
 * then one cue per segment, `HH:MM:SS.mmm --> HH:MM:SS.mmm` and the label, LF line endings.
 * Cue text is markup in WebVTT, so &, < and > are written as character references: a label like
 * `<img src=x onerror=…>` shows as text and can never become a tag (or, with > escaped, an arrow).
 */
import type { ResultDocument } from '../shared/result-document.js';
import { singleLineLabel } from './cue-text.js';
import { clockTime, cueSpans } from './timestamps.js';

export function toWebVtt(document: ResultDocument): string {
  const cues = cueSpans(document.segments).map(
    (cue) => `${clockTime(cue.startMilliseconds, '.')} --> ${clockTime(cue.endMilliseconds, '.')}\n${escapeCueText(singleLineLabel(cue.segment.label))}`,
  );
  return `${['WEBVTT', ...cues].join('\n\n')}\n`;
}

/** WebVTT cue text escaping: the three characters that start markup or references. */
function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
