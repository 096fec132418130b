/** Checks an output path before a long command starts, so a typo fails in a second, not after hours. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';

export function checkWritable(path: string, flag = '--out'): void {
  const folder = dirname(resolve(path));
  try {
    if (!statSync(folder).isDirectory()) throw new UsageError(`${flag}: ${folder} is not a folder`);
    accessSync(folder, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag}: cannot write in ${folder} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (existsSync(path) && !statSync(path).isFile()) throw new UsageError(`${flag}: ${path} exists and is not a file`);
}
