/**
 * The application menu as data. Pure: main.ts passes the result to Menu.buildFromTemplate and
 * rebuilds it whenever the recent list changes.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentVideo } from '../src/shared/api.js';

export interface MenuFacts {
  /** process.platform: macOS gets the app menu and a Window menu; others put Quit under File. */
  platform: string;
  appName: string;
  recent: readonly RecentVideo[];
  /** Developer tools and reload only in development builds. */
  isPackaged: boolean;
}

export interface MenuActions {
  openVideo(): void;
  openRecent(path: string): void;
  restartEngine(): void;
}

/** How many recent videos the submenu lists. */
export const RECENT_MENU_LIMIT = 10;

export function menuTemplate(facts: MenuFacts, actions: MenuActions): MenuItemConstructorOptions[] {
  const isMac = facts.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: facts.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: '&File',
    submenu: [
      { id: 'open', label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.openVideo() },
      { id: 'open-recent', label: 'Open Recent', submenu: recentSubmenu(facts, actions) },
      { type: 'separator' },
      { id: 'restart-engine', label: 'Restart Engine', click: () => actions.restartEngine() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  });
  const developer: MenuItemConstructorOptions[] = facts.isPackaged ? [] : [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  template.push({
    label: '&View',
    submenu: [...developer, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  });
  if (isMac) template.push({ role: 'windowMenu' });
  return template;
}

function recentSubmenu(facts: MenuFacts, actions: MenuActions): MenuItemConstructorOptions[] {
  const listed = facts.recent.slice(0, RECENT_MENU_LIMIT);
  if (listed.length === 0) return [{ label: 'No Recent Videos', enabled: false }];
  return listed.map((video) => ({
    // '&' marks a mnemonic on Windows and Linux; '&&' shows one '&'.
    label: facts.platform === 'darwin' ? video.name : video.name.replaceAll('&', '&&'),
    sublabel: video.path,
    toolTip: video.exists ? video.path : `${video.path} (missing)`,
    enabled: video.exists,
    click: () => actions.openRecent(video.path),
  }));
}
