/** Where the store folder goes on each platform, as a table: the function is pure, so no platform is left untested. */
import { describe, expect, it } from 'vitest';
import { defaultCacheDirectory } from '../../../src/analysis/store/default-location.js';

describe('defaultCacheDirectory', () => {
  it.each([
    ['override wins on Linux', { LONGVIEW_CACHE_DIR: '/data/lv', XDG_DATA_HOME: '/x' }, 'linux', '/home/ana', '/data/lv'],
    ['override wins on Windows', { LONGVIEW_CACHE_DIR: 'D:\\lv', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32', 'C:\\Users\\ana', 'D:\\lv'],
    ['empty override is unset', { LONGVIEW_CACHE_DIR: '' }, 'linux', '/home/ana', '/home/ana/.local/share/longview'],
    ['Linux with XDG_DATA_HOME', { XDG_DATA_HOME: '/srv/data' }, 'linux', '/home/ana', '/srv/data/longview'],
    ['Linux without XDG_DATA_HOME', {}, 'linux', '/home/ana', '/home/ana/.local/share/longview'],
    ['Linux ignores a relative XDG_DATA_HOME', { XDG_DATA_HOME: 'data' }, 'linux', '/home/ana', '/home/ana/.local/share/longview'],
    ['FreeBSD follows XDG', { XDG_DATA_HOME: '/d' }, 'freebsd', '/home/ana', '/d/longview'],
    ['macOS', { XDG_DATA_HOME: '/ignored' }, 'darwin', '/Users/ana', '/Users/ana/Library/Application Support/Longview'],
    ['Windows with LOCALAPPDATA', { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\AppData\\Local\\Longview'],
    ['Windows without LOCALAPPDATA', {}, 'win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\AppData\\Local\\Longview'],
  ])('%s', (_name, environment, platform, home, expected) => {
    expect(defaultCacheDirectory(environment, platform, home)).toBe(expected);
  });
});
