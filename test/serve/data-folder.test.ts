import { describe, expect, it } from 'vitest';
import { defaultDataFolder } from '../../src/serve/data-folder.js';

describe('defaultDataFolder', () => {
  it.each([
    [{ LONGVIEW_DATA_DIR: '/data/lv' }, 'linux', '/data/lv'],
    [{}, 'linux', '/home/ann/.config/longview'],
    [{ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/cfg/longview'],
    [{ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/ann/.config/longview'],
    [{}, 'darwin', '/home/ann/Library/Application Support/Longview'],
    [{ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann\\AppData\\Roaming\\Longview'],
    [{ LONGVIEW_DATA_DIR: '' }, 'linux', '/home/ann/.config/longview'],
  ])('%j on %s → %s', (environment, platform, expected) => {
    expect(defaultDataFolder(environment, platform, '/home/ann')).toBe(expected);
  });
});
