import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { RecentVideo } from '../../src/shared/api.js';
import { menuTemplate, RECENT_MENU_LIMIT, type MenuActions, type MenuFacts } from '../../electron/menu-template.js';

function recorder(): { actions: MenuActions; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      openVideo: () => calls.push('open'),
      openRecent: (path) => calls.push(`recent ${path}`),
      restartEngine: () => calls.push('restart'),
    },
  };
}

const facts: MenuFacts = { platform: 'linux', appName: 'Longview', recent: [], isPackaged: true };

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return (item?.submenu ?? []) as MenuItemConstructorOptions[];
}

function findById(template: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined {
  for (const item of template) {
    if (item.id === id) return item;
    const found = findById(submenu(item), id);
    if (found !== undefined) return found;
  }
  return undefined;
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

const video = (name: string, exists = true): RecentVideo => ({ name, path: `/videos/${name}`, openedAt: '2026-01-01T00:00:00.000Z', exists });

describe('menuTemplate', () => {
  it('File ▸ Open… is CmdOrCtrl+O and opens the dialog', () => {
    const { actions, calls } = recorder();
    const open = findById(menuTemplate(facts, actions), 'open');
    expect(open).toMatchObject({ label: 'Open…', accelerator: 'CmdOrCtrl+O' });
    click(open);
    expect(calls).toEqual(['open']);
  });

  it('lists recent videos, opens them by path and disables missing ones', () => {
    const { actions, calls } = recorder();
    const recent = submenu(findById(menuTemplate({ ...facts, recent: [video('a.mp4'), video('gone.mp4', false)] }, actions), 'open-recent'));
    expect(recent.map((item) => [item.label, item.enabled])).toEqual([
      ['a.mp4', true],
      ['gone.mp4', false],
    ]);
    click(recent[0]);
    expect(calls).toEqual(['recent /videos/a.mp4']);
  });

  it('says so when there are no recent videos', () => {
    const recent = submenu(findById(menuTemplate(facts, recorder().actions), 'open-recent'));
    expect(recent).toEqual([{ label: 'No Recent Videos', enabled: false }]);
  });

  it(`lists at most ${RECENT_MENU_LIMIT} recent videos`, () => {
    const many = Array.from({ length: RECENT_MENU_LIMIT + 5 }, (_, index) => video(`${index}.mp4`));
    expect(submenu(findById(menuTemplate({ ...facts, recent: many }, recorder().actions), 'open-recent'))).toHaveLength(RECENT_MENU_LIMIT);
  });

  it.each([
    ['linux', 'Tom && Jerry.mp4'],
    ['win32', 'Tom && Jerry.mp4'],
    ['darwin', 'Tom & Jerry.mp4'],
  ])('escapes "&" in file names as mnemonics need on %s', (platform, label) => {
    const recent = submenu(findById(menuTemplate({ ...facts, platform, recent: [video('Tom & Jerry.mp4')] }, recorder().actions), 'open-recent'));
    expect(recent[0]?.label).toBe(label);
  });

  it('restarts the engine from the menu', () => {
    const { actions, calls } = recorder();
    click(findById(menuTemplate(facts, actions), 'restart-engine'));
    expect(calls).toEqual(['restart']);
  });

  it.each([
    ['darwin', ['Longview', '&File', '&Edit', '&View', undefined]],
    ['linux', ['&File', '&Edit', '&View']],
    ['win32', ['&File', '&Edit', '&View']],
  ])('has the platform menus on %s', (platform, labels) => {
    const template = menuTemplate({ ...facts, platform }, recorder().actions);
    expect(template.map((item) => item.label)).toEqual(labels);
    const roles = submenu(template.find((item) => item.label === '&File')).map((item) => item.role);
    expect(roles).toContain(platform === 'darwin' ? 'close' : 'quit');
  });

  it('offers developer tools only in development', () => {
    const roles = (isPackaged: boolean): unknown[] =>
      submenu(menuTemplate({ ...facts, isPackaged }, recorder().actions).find((item) => item.label === '&View')).map((item) => item.role);
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(false)).toContain('toggleDevTools');
  });
});
