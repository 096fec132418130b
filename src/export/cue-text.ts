/**
 * Labels as subtitle cue text. A cue is one line: a line break in a label would end the cue early
 * in SRT (a blank line) and could smuggle a timing line into either format, so every break and
 * control character becomes a space. Bidirectional override characters go too: they can make a
 * label display as something it is not.
 */

/** Whitespace runs (line and paragraph separators included), C0/C1 controls and bidi overrides/isolates. */
const BREAKS_AND_CONTROLS = /[\s\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;

/** In a `u` regex this matches only unpaired surrogates, which no UTF-8 file can hold. */
const LONE_SURROGATES = /[\ud800-\udfff]/gu;

/** Shown for a label that is empty once cleaned, so a cue never has an empty text line. */
export const EMPTY_LABEL_TEXT = '(no label)';

/** The label on one line, trimmed, never empty. */
export function singleLineLabel(label: string): string {
  const line = label.replace(LONE_SURROGATES, '').replace(BREAKS_AND_CONTROLS, ' ').trim();
  return line === '' ? EMPTY_LABEL_TEXT : line;
}
