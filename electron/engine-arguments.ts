/**
 * How the main process tells the engine process where its folders are: two command-line
 * arguments, so nothing depends on the environment the app was started from. Pure.
 */
import { isAbsolute } from 'node:path';
import { LongviewError } from '../src/shared/errors.js';

export interface EngineFolders {
  /** Settings, edits, the recent list (absolute). */
  dataFolder: string;
  /** Analysis stores and models (absolute). */
  cacheDirectory: string;
}

const DATA_FLAG = '--longview-data-folder';
const CACHE_FLAG = '--longview-cache-directory';

export function engineArguments(folders: EngineFolders): string[] {
  return [`${DATA_FLAG}=${folders.dataFolder}`, `${CACHE_FLAG}=${folders.cacheDirectory}`];
}

export function parseEngineArguments(argv: readonly string[]): EngineFolders {
  const value = (flag: string): string => {
    const found = argv.filter((argument) => argument.startsWith(`${flag}=`));
    const path = found.length === 1 ? found[0]!.slice(flag.length + 1) : '';
    if (!isAbsolute(path)) throw new LongviewError('internal', 'engine-arguments', `The engine process needs exactly one ${flag}=<absolute path>.`);
    return path;
  };
  return { dataFolder: value(DATA_FLAG), cacheDirectory: value(CACHE_FLAG) };
}
