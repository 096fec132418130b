/**
 * How `longview serve` opens the browser without handing its token to other local users.
 *
 * Why: a command line is public on this machine (`ps`, /proc/<pid>/cmdline), so `xdg-open <url>`
 * with the token in the URL would show it to every user for as long as the opener runs, and a
 * browser started by it keeps that argument for its whole life. Instead the URL goes into a small
 * page that only this user can read (a fresh 0700 folder, a 0600 file), which sends the browser
 * on, and the opener is given that file's path. Jupyter opens its notebook server the same way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { xmlAttribute } from '../export/xml-escape.js';

/** The page: an immediate refresh to `url`, and a link for a browser that does not follow it. */
export function launchPageHtml(url: string): string {
  const target = xmlAttribute(url); // the same escaping as the .eaf attributes: quotes, <, >, & as references
  return [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${target}">`,
    '<title>Opening Longview…</title>',
    `<p><a href="${target}">Open Longview</a></p>`,
    '',
  ].join('\n');
}

export interface LaunchPage {
  /** The page's path: what the opener is given (no token in it). */
  path: string;
  /** Deletes the page and its folder; safe to call more than once. */
  remove(): void;
}

/** Writes the page into a new private folder under `parent` (default: the system's temp folder). */
export function writeLaunchPage(url: string, parent: string = os.tmpdir()): LaunchPage {
  const folder = mkdtempSync(join(parent, 'longview-open-')); // created 0700
  const path = join(folder, 'open.html');
  try {
    writeFileSync(path, launchPageHtml(url), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** The system's "open this with its default app" command for a file, as [command, arguments]. */
export function openerCommand(platform: NodeJS.Platform, path: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [path]];
  if (platform === 'win32') return ['explorer.exe', [path]];
  return ['xdg-open', [path]];
}
