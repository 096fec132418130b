/**
 * Longview's per-user folders, one rule for each platform: an override variable first, then the
 * platform's place for the kind of file (Windows: a known-folder variable or its usual path under
 * the home folder; macOS: Application Support; elsewhere XDG, where a relative value is invalid
 * and ignored, as the XDG Base Directory spec says). Pure: environment, platform and home folder
 * are arguments, so every platform is tested anywhere.
 */
import { posix, win32 } from 'node:path';

export interface FolderPlace {
  /** e.g. LONGVIEW_CACHE_DIR: used as given when set and not empty. */
  override: string;
  /** e.g. LOCALAPPDATA, and the path under the home folder when it is unset. */
  windowsVariable: string;
  windowsFallback: readonly string[];
  /** e.g. XDG_DATA_HOME, and the path under the home folder when it is unset or relative. */
  xdgVariable: string;
  xdgFallback: readonly string[];
}

export function userFolder(environment: Readonly<Record<string, string | undefined>>, platform: string, homeDirectory: string, place: FolderPlace): string {
  const chosen = environment[place.override];
  if (chosen !== undefined && chosen !== '') return chosen;
  if (platform === 'win32') {
    const known = environment[place.windowsVariable];
    return known !== undefined && known !== '' ? win32.join(known, 'Longview') : win32.join(homeDirectory, ...place.windowsFallback, 'Longview');
  }
  if (platform === 'darwin') return posix.join(homeDirectory, 'Library', 'Application Support', 'Longview');
  const xdg = environment[place.xdgVariable];
  if (xdg !== undefined && posix.isAbsolute(xdg)) return posix.join(xdg, 'longview');
  return posix.join(homeDirectory, ...place.xdgFallback, 'longview');
}
