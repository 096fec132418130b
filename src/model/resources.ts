/**
 * Finds the shipped `resources/` folder from wherever this module runs: `src/` under tsx,
 * `dist/src/` after a build, or an Electron bundle (which sets LONGVIEW_RESOURCES).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function resourcesDirectory(): string {
  if (cached !== undefined) return cached;
  const fromEnvironment = process.env.LONGVIEW_RESOURCES;
  if (fromEnvironment !== undefined && existsSync(join(fromEnvironment, 'labels'))) return (cached = fromEnvironment);
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(folder, 'resources');
    if (existsSync(join(candidate, 'labels'))) return (cached = candidate);
    const parent = dirname(folder);
    if (parent === folder) throw new Error('cannot find the resources/ folder (set LONGVIEW_RESOURCES)');
    folder = parent;
  }
}
