/**
 * `longview serve [--port N] [--data-dir D] [--no-open] [video…]`: the app in a browser, served
 * from this machine to this machine only (src/serve/server.ts). Runs until Ctrl-C, which cancels
 * running analyses (their finished windows are kept), closes the sockets and exits 0: stopping is
 * how a server ends, not a failure.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { defaultCacheDirectory } from '../analysis/store/default-location.js';
import { defaultDataFolder } from '../serve/data-folder.js';
import { openerCommand, writeLaunchPage, type LaunchPage } from '../serve/launch-page.js';
import { startServer } from '../serve/server.js';
import type { Command, Output } from './run.js';

/** Videos accepted on the command line; run.ts counts positionals by this list's length. */
const MAXIMUM_VIDEOS = 32;

export const serveCommand: Command = {
  summary: 'open the app in a web browser (served on 127.0.0.1 only)',
  usage: [
    'Usage: longview serve [--port N] [--data-dir D] [--no-open] [video…]',
    '',
    '  --port      port on 127.0.0.1 (default or 0: any free one)',
    '  --data-dir  where settings, edits and recent videos are kept',
    `              (default: ${defaultDataFolder(process.env, process.platform, os.homedir())}; LONGVIEW_DATA_DIR overrides)`,
    '  --no-open   print the address without opening a browser',
    '  video…      videos to open at start',
    '',
    'The printed address carries a secret token: anyone with it can use the app and read the',
    'videos you opened, so do not share it. Analyses are kept in LONGVIEW_CACHE_DIR as for',
    '`longview analyze`. Ctrl-C stops the server.',
    '',
  ].join('\n'),
  positionals: Array.from({ length: MAXIMUM_VIDEOS }, () => 'video'),
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'no-open': { type: 'boolean' },
  },
  async run(values, context, positionals) {
    const port = parsePortFlag(values.port as string | undefined);
    const dataDirectory = values['data-dir'] as string | undefined;
    if (dataDirectory === '') throw new UsageError('--data-dir needs a folder');
    const server = await startServer({
      port,
      dataFolder: resolve(dataDirectory ?? defaultDataFolder(process.env, process.platform, os.homedir())),
      cacheDirectory: resolve(defaultCacheDirectory(process.env, process.platform, os.homedir())),
      videos: positionals,
    });
    let launchPage: LaunchPage | undefined;
    try {
      for (const video of server.startupVideos) context.stderr.write(`opened ${video.path}\n`);
      context.stdout.write(`Longview is running at ${server.url}\nPress Ctrl-C to stop.\n`);
      if (values['no-open'] !== true) launchPage = openBrowser(server.url, context.stderr);
      await stopped(context.signal);
    } finally {
      launchPage?.remove();
      await server.close();
    }
    context.stderr.write('Stopped.\n');
  },
};

/** `--port`'s text to a port; 0 (also when absent) asks the system for any free port, as listen(0) does. */
export function parsePortFlag(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(port) || port > 65535) throw new UsageError(`--port must be a whole number from 0 (any free port) to 65535 (got "${text}")`);
  return port;
}

/** Resolves when the signal aborts; without a signal (never in the CLI) it runs for ever. */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * Best effort: the URL is printed anyway, so a missing opener is not an error. The opener gets a
 * private page that forwards to the URL, never the URL itself (launch-page.ts says why).
 */
function openBrowser(url: string, stderr: Output): LaunchPage | undefined {
  let page: LaunchPage;
  try {
    page = writeLaunchPage(url);
  } catch (error) {
    stderr.write(`Could not open a browser (${error instanceof Error ? error.message : String(error)}); open the address above.\n`);
    return undefined;
  }
  const [command, args] = openerCommand(process.platform, page.path);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this system.
  }
  return page;
}
