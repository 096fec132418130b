/**
 * Which videos a command line names: `electron . a.mp4` in development, `longview a.mp4` when
 * packaged, and the argv a second instance forwards. Options (anything starting with '-', which
 * also covers Chromium's own switches and macOS's -psn_…) are skipped; after `--` every argument is
 * a path. `file://` URLs (what desktop files pass for %U) become paths; any other URL is ignored:
 * Longview opens files, never the network. Pure.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CommandLineFacts {
  /** `process.defaultApp`: true under `electron .`, where argv[1] is the app folder. */
  defaultApp: boolean;
  /** Relative paths are relative to this (the second instance's own working folder). */
  workingDirectory: string;
}

export function videoPathsFromArgv(argv: readonly string[], facts: CommandLineFacts): string[] {
  const paths: string[] = [];
  let skipAppFolder = facts.defaultApp;
  let optionsEnded = false;
  for (const argument of argv.slice(1)) {
    if (!optionsEnded && argument === '--') {
      optionsEnded = true;
      continue;
    }
    if (!optionsEnded && argument.startsWith('-')) continue;
    if (skipAppFolder) {
      skipAppFolder = false;
      continue;
    }
    const path = toPath(argument, facts.workingDirectory);
    if (path !== undefined) paths.push(path);
  }
  return paths;
}

function toPath(argument: string, workingDirectory: string): string | undefined {
  if (argument === '') return undefined;
  if (/^[a-z][a-z0-9+.-]+:/i.test(argument) && !isAbsolute(argument)) {
    if (!argument.toLowerCase().startsWith('file:')) return undefined;
    try {
      return fileURLToPath(argument);
    } catch {
      return undefined;
    }
  }
  return resolve(workingDirectory, argument);
}
