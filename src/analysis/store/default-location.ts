/**
 * Where Longview keeps its analysis stores and checksum cache when the user says nothing. The
 * stores hold hours of computation, so they go in the platform's place for application *data*
 * (XDG_DATA_HOME, Application Support, LocalAppData), not in a cache folder that cleaners empty.
 * Pure: the environment, platform and home folder are arguments, so every platform is tested here.
 */
import { posix, win32 } from 'node:path';

/**
 * `LONGVIEW_CACHE_DIR` when set (returned as given; a relative value is relative to the working
 * folder); otherwise the platform's per-user data folder plus "longview"/"Longview".
 * `platform` takes process.platform's values; anything not macOS or Windows is treated as a
 * freedesktop (XDG) system.
 */
export function defaultCacheDirectory(environment: Readonly<Record<string, string | undefined>>, platform: string, homeDirectory: string): string {
  const chosen = environment['LONGVIEW_CACHE_DIR'];
  if (chosen !== undefined && chosen !== '') return chosen;
  if (platform === 'win32') {
    const localAppData = environment['LOCALAPPDATA'];
    return localAppData !== undefined && localAppData !== '' ? win32.join(localAppData, 'Longview') : win32.join(homeDirectory, 'AppData', 'Local', 'Longview');
  }
  if (platform === 'darwin') return posix.join(homeDirectory, 'Library', 'Application Support', 'Longview');
  // The XDG Base Directory spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const dataHome = environment['XDG_DATA_HOME'];
  if (dataHome !== undefined && posix.isAbsolute(dataHome)) return posix.join(dataHome, 'longview');
  return posix.join(homeDirectory, '.local', 'share', 'longview');
}
