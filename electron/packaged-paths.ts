/**
 * Where things are inside a packaged app. electron-builder.json's `extraResources` copies the
 * repository's `resources/` folder to `<resourcesPath>/resources`; main.ts points the engine at it
 * through LONGVIEW_RESOURCES. A test keeps this name and the builder config equal.
 */
import { join } from 'node:path';

export const PACKAGED_RESOURCES_FOLDER = 'resources';

export function packagedResourcesDirectory(resourcesPath: string): string {
  return join(resourcesPath, PACKAGED_RESOURCES_FOLDER);
}
