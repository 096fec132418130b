/**
 * Where Longview keeps its analysis stores and checksum cache when the user says nothing. The
 * stores hold hours of computation, so they go in the platform's place for application *data*
 * (XDG_DATA_HOME, Application Support, LocalAppData), not in a cache folder that cleaners empty.
 * Pure: the environment, platform and home folder are arguments, so every platform is tested here.
 */
import { userFolder } from '../../files/user-folders.js';

/**
 * `LONGVIEW_CACHE_DIR` when set (returned as given; a relative value is relative to the working
 * folder); otherwise the platform's per-user data folder plus "longview"/"Longview".
 * `platform` takes process.platform's values; anything not macOS or Windows is treated as a
 * freedesktop (XDG) system.
 */
export function defaultCacheDirectory(environment: Readonly<Record<string, string | undefined>>, platform: string, homeDirectory: string): string {
  return userFolder(environment, platform, homeDirectory, {
    override: 'LONGVIEW_CACHE_DIR',
    windowsVariable: 'LOCALAPPDATA',
    windowsFallback: ['AppData', 'Local'],
    xdgVariable: 'XDG_DATA_HOME',
    xdgFallback: ['.local', 'share'],
  });
}
