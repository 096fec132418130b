/**
 * Segments as SubRip (.srt) subtitles: numbered cues from 1, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, the
 * label on one line, a blank line between cues, LF line endings (every current player accepts
 * them). SRT has no escape mechanism, yet players interpret HTML-like tags (<i>, <font>) and ASS
 * override blocks ({\an8}), so the characters that open markup are replaced by their fullwidth
 * lookalikes: `<img src=x>` reads ＜img src=x＞ and is never a tag.
 */
import type { ResultDocument } from '../shared/result-document.js';
import { singleLineLabel } from './cue-text.js';
import { clockTime, cueSpans } from './timestamps.js';

const MARKUP_LOOKALIKES: Readonly<Record<string, string>> = { '<': '＜', '>': '＞', '{': '｛', '}': '｝' };

export function toSrt(document: ResultDocument): string {
  return cueSpans(document.segments)
    .map((cue, position) => `${position + 1}\n${clockTime(cue.startMilliseconds, ',')} --> ${clockTime(cue.endMilliseconds, ',')}\n${neutralizeMarkup(singleLineLabel(cue.segment.label))}\n`)
    .join('\n');
}

function neutralizeMarkup(text: string): string {
  return text.replace(/[<>{}]/g, (character) => MARKUP_LOOKALIKES[character] ?? character);
}
