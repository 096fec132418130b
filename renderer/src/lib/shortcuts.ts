/**
 * The keyboard map: a key press → the name of what it does. Pure (no DOM types): the App reads
 * the event, classifies its target and runs the action; this file decides, and is table-tested.
 *
 * Keys are matched on `key` (the character the layout produces: '?', '+', '[') except the arrows
 * and named keys; letters are matched case-blind so Caps Lock does not disable them.
 */

export type ShortcutAction =
  | 'toggle-play'
  | 'frame-back'
  | 'frame-forward'
  | 'second-back'
  | 'second-forward'
  | 'jog-back'
  | 'pause'
  | 'jog-forward'
  | 'previous-segment'
  | 'next-segment'
  | 'go-start'
  | 'go-end'
  | 'zoom-in'
  | 'zoom-out'
  | 'toggle-heatmap'
  | 'undo'
  | 'redo'
  | 'delete-segment'
  | 'split'
  | 'merge'
  | 'open'
  | 'export'
  | 'shortcut-sheet';

/**
 * What has focus: 'editable' (text fields, number fields, sliders, selects, contenteditable:
 * they use the keys themselves), 'button' (Space and Enter press it), or 'other'.
 */
export type TargetKind = 'editable' | 'button' | 'other';

export interface KeyPress {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: TargetKind;
}

/** Ctrl on Windows/Linux, Cmd on macOS: either counts. */
function command(press: KeyPress): boolean {
  return press.ctrlKey || press.metaKey;
}

/** The action for a key press, or null when the key is not a shortcut here (the browser keeps it). */
export function shortcutAction(press: KeyPress): ShortcutAction | null {
  if (press.target === 'editable') return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (press.target === 'button' && (key === ' ' || key === 'Enter')) return null;

  if (command(press)) {
    if (press.altKey) return null;
    if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && !press.shiftKey) return 'redo';
    if (key === 'o' && !press.shiftKey) return 'open';
    if (key === 'e' && !press.shiftKey) return 'export';
    return null;
  }
  if (press.altKey) return null;

  switch (key) {
    case ' ':
      return 'toggle-play';
    case 'ArrowLeft':
      return press.shiftKey ? 'second-back' : 'frame-back';
    case 'ArrowRight':
      return press.shiftKey ? 'second-forward' : 'frame-forward';
    case 'Home':
      return 'go-start';
    case 'End':
      return 'go-end';
    case 'Delete':
    case 'Backspace':
      return 'delete-segment';
    case '?':
      return 'shortcut-sheet';
    case '+':
    case '=':
      return 'zoom-in';
    case '-':
    case '_':
      return 'zoom-out';
    case '[':
      return 'previous-segment';
    case ']':
      return 'next-segment';
  }
  if (press.shiftKey) return null;
  switch (key) {
    case 'j':
      return 'jog-back';
    case 'k':
      return 'pause';
    case 'l':
      return 'jog-forward';
    case 'h':
      return 'toggle-heatmap';
    case 's':
      return 'split';
    case 'm':
      return 'merge';
  }
  return null;
}

/** The shortcut sheet: every shortcut, grouped, in words. */
export const SHORTCUT_SHEET: ReadonlyArray<{ group: string; entries: ReadonlyArray<{ keys: string; description: string }> }> = [
  {
    group: 'Playback',
    entries: [
      { keys: 'Space', description: 'Play / pause' },
      { keys: '← / →', description: 'One frame back / forward' },
      { keys: 'Shift + ← / →', description: 'One second back / forward' },
      { keys: 'J', description: 'Slower while playing fast, else back 5 seconds' },
      { keys: 'K', description: 'Pause' },
      { keys: 'L', description: 'Play; again: faster (up to 4×)' },
      { keys: 'Home / End', description: 'Start / end of the video' },
      { keys: '[ / ]', description: 'Previous / next segment start' },
    ],
  },
  {
    group: 'View',
    entries: [
      { keys: '+ / −', description: 'Zoom the timeline in / out' },
      { keys: 'H', description: 'Show / hide the attention heatmap' },
      { keys: '?', description: 'This sheet (Esc closes it)' },
    ],
  },
  {
    group: 'Editing',
    entries: [
      { keys: 'Ctrl/⌘ + Z', description: 'Undo' },
      { keys: 'Ctrl/⌘ + Shift + Z, Ctrl + Y', description: 'Redo' },
      { keys: 'Delete', description: 'Remove the selected segment' },
      { keys: 'S', description: 'Split the selected segment at the playhead' },
      { keys: 'M', description: 'Merge the selected segment with the next' },
    ],
  },
  {
    group: 'Files',
    entries: [
      { keys: 'Ctrl/⌘ + O', description: 'Open a video' },
      { keys: 'Ctrl/⌘ + E', description: 'Export segments' },
    ],
  },
];
