/**
 * Where `longview serve` keeps settings, edits and the recent list when the user says nothing:
 * LONGVIEW_DATA_DIR, else a `longview` folder in the platform's place for per-user configuration
 * (XDG_CONFIG_HOME or ~/.config, Application Support, Roaming AppData). The analysis stores stay
 * where the CLI keeps them (src/analysis/store/default-location.ts), so the app and `longview
 * analyze` share finished windows. Pure: environment, platform and home folder are arguments.
 */
import { posix, win32 } from 'node:path';

export function defaultDataFolder(environment: Readonly<Record<string, string | undefined>>, platform: string, homeDirectory: string): string {
  const chosen = environment['LONGVIEW_DATA_DIR'];
  if (chosen !== undefined && chosen !== '') return chosen;
  if (platform === 'win32') {
    const appData = environment['APPDATA'];
    return appData !== undefined && appData !== '' ? win32.join(appData, 'Longview') : win32.join(homeDirectory, 'AppData', 'Roaming', 'Longview');
  }
  if (platform === 'darwin') return posix.join(homeDirectory, 'Library', 'Application Support', 'Longview');
  // As for XDG_DATA_HOME: a relative XDG_CONFIG_HOME is invalid and ignored.
  const configHome = environment['XDG_CONFIG_HOME'];
  if (configHome !== undefined && posix.isAbsolute(configHome)) return posix.join(configHome, 'longview');
  return posix.join(homeDirectory, '.config', 'longview');
}
