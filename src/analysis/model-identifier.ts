/**
 * A short, stable name for a model in exports and tables: the Hub id when the path says it
 * (the HF cache keeps `models--org--name/snapshots/<commit>/`), else the folder or file name.
 */
import { basename } from 'node:path';

export function modelIdentifier(path: string, nameOrPath?: string): string {
  if (nameOrPath !== undefined && /^[\w.-]+\/[\w.-]+$/.test(nameOrPath)) return nameOrPath;
  const parts = path.split(/[\\/]/).filter((part) => part !== '');
  for (let index = parts.length - 1; index >= 0; index--) {
    const match = /^models--([\w.-]+)--([\w.-]+)$/.exec(parts[index]!);
    if (match !== null) return `${match[1]}/${match[2]}`;
  }
  // basename ignores a trailing separator: "/models/my-model/" → "my-model".
  return basename(path);
}
