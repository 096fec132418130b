/**
 * Where `longview serve` keeps settings, edits and the recent list when the user says nothing:
 * LONGVIEW_DATA_DIR, else a `longview` folder in the platform's place for per-user configuration
 * (XDG_CONFIG_HOME or ~/.config, Application Support, Roaming AppData). The analysis stores stay
 * where the CLI keeps them (src/analysis/store/default-location.ts), so the app and `longview
 * analyze` share finished windows. Pure: environment, platform and home folder are arguments.
 */
import { userFolder } from '../files/user-folders.js';

export function defaultDataFolder(environment: Readonly<Record<string, string | undefined>>, platform: string, homeDirectory: string): string {
  return userFolder(environment, platform, homeDirectory, {
    override: 'LONGVIEW_DATA_DIR',
    windowsVariable: 'APPDATA',
    windowsFallback: ['AppData', 'Roaming'],
    xdgVariable: 'XDG_CONFIG_HOME',
    xdgFallback: ['.config'],
  });
}
