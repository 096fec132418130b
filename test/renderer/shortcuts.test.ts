import { describe, expect, it } from 'vitest';
import { SHORTCUT_SHEET, shortcutAction, type KeyPress, type ShortcutAction, type TargetKind } from '../../renderer/src/lib/shortcuts.js';

type Modifiers = Partial<Pick<KeyPress, 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>>;

function press(key: string, modifiers: Modifiers = {}, target: TargetKind = 'other'): KeyPress {
  return { key, code: '', shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, target, ...modifiers };
}

describe('shortcutAction', () => {
  it.each<[string, Modifiers, ShortcutAction | null]>([
    [' ', {}, 'toggle-play'],
    ['ArrowLeft', {}, 'frame-back'],
    ['ArrowRight', {}, 'frame-forward'],
    ['ArrowLeft', { shiftKey: true }, 'second-back'],
    ['ArrowRight', { shiftKey: true }, 'second-forward'],
    ['j', {}, 'jog-back'],
    ['k', {}, 'pause'],
    ['l', {}, 'jog-forward'],
    ['J', {}, 'jog-back'], // Caps Lock
    ['[', {}, 'previous-segment'],
    [']', {}, 'next-segment'],
    ['Home', {}, 'go-start'],
    ['End', {}, 'go-end'],
    ['+', { shiftKey: true }, 'zoom-in'],
    ['=', {}, 'zoom-in'],
    ['-', {}, 'zoom-out'],
    ['h', {}, 'toggle-heatmap'],
    ['z', { ctrlKey: true }, 'undo'],
    ['z', { metaKey: true }, 'undo'],
    ['Z', { ctrlKey: true, shiftKey: true }, 'redo'],
    ['z', { metaKey: true, shiftKey: true }, 'redo'],
    ['y', { ctrlKey: true }, 'redo'],
    ['Delete', {}, 'delete-segment'],
    ['Backspace', {}, 'delete-segment'],
    ['s', {}, 'split'],
    ['m', {}, 'merge'],
    ['o', { ctrlKey: true }, 'open'],
    ['o', { metaKey: true }, 'open'],
    ['e', { ctrlKey: true }, 'export'],
    ['?', { shiftKey: true }, 'shortcut-sheet'],
    // Not shortcuts: the browser keeps them.
    ['s', { ctrlKey: true }, null],
    ['z', {}, null],
    ['h', { altKey: true }, null],
    ['z', { ctrlKey: true, altKey: true }, null],
    ['S', { shiftKey: true }, null],
    ['Escape', {}, null],
    ['ArrowUp', {}, null],
    ['F5', {}, null],
  ])('%j with %j → %s', (key, modifiers, expected) => {
    expect(shortcutAction(press(key, modifiers))).toBe(expected);
  });

  it.each([' ', 'j', 'ArrowLeft', 'Delete', 's', '?'])('ignores %j while typing in a field', (key) => {
    expect(shortcutAction(press(key, {}, 'editable'))).toBeNull();
  });

  it('leaves Ctrl+Z to a text field (its own undo)', () => {
    expect(shortcutAction(press('z', { ctrlKey: true }, 'editable'))).toBeNull();
  });

  it('lets a focused button keep Space and Enter but not the other keys', () => {
    expect(shortcutAction(press(' ', {}, 'button'))).toBeNull();
    expect(shortcutAction(press('Enter', {}, 'button'))).toBeNull();
    expect(shortcutAction(press('ArrowRight', {}, 'button'))).toBe('frame-forward');
    expect(shortcutAction(press('e', { ctrlKey: true }, 'button'))).toBe('export');
  });

  it('lists every action in the shortcut sheet', () => {
    const described = SHORTCUT_SHEET.flatMap((group) => group.entries.map((entry) => entry.description)).join(' ');
    for (const word of ['Play', 'frame', 'second', 'Pause', 'Zoom', 'heatmap', 'Undo', 'Redo', 'Remove', 'Split', 'Merge', 'Open', 'Export', 'segment start', 'Start / end']) {
      expect(described).toContain(word);
    }
  });
});
