/**
 * Opening the browser from `longview serve` without the token on any command line: the launch
 * page (private folder and file, escaped URL, removed on stop) and the real CLI with a stand-in
 * `xdg-open` on PATH that records what it was given.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPageHtml, openerCommand, writeLaunchPage } from '../../src/serve/launch-page.js';
import { temporaryFolder } from '../video/test-files.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/longview.js', import.meta.url));

let folder: { path: string; remove: () => void };
beforeAll(() => {
  folder = temporaryFolder('longview-launch-page-');
});
afterAll(() => folder.remove());

describe('launchPageHtml', () => {
  it('refreshes to the URL and links to it', () => {
    const html = launchPageHtml('http://127.0.0.1:4000/?token=abc_DEF-123');
    expect(html).toContain('<meta http-equiv="refresh" content="0;url=http://127.0.0.1:4000/?token=abc_DEF-123">');
    expect(html).toContain('<a href="http://127.0.0.1:4000/?token=abc_DEF-123">');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });

  it('escapes every character that could end the attribute or start markup', () => {
    const html = launchPageHtml(`http://127.0.0.1/?a="><script>alert(1)</script>&b='x'`);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/content="0;url=[^"]*"[^>]/); // the attribute is not closed early
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;b=&apos;x&apos;');
  });
});

describe('writeLaunchPage', () => {
  it('writes the page where only this user can read it, under a path without the token, and removes it', () => {
    const url = 'http://127.0.0.1:4000/?token=SECRET-token';
    const page = writeLaunchPage(url, folder.path);
    expect(page.path).not.toContain('SECRET');
    expect(readFileSync(page.path, 'utf8')).toBe(launchPageHtml(url));
    if (process.platform !== 'win32') {
      expect(statSync(page.path).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(page.path)).mode & 0o777).toBe(0o700);
    }
    page.remove();
    expect(existsSync(dirname(page.path))).toBe(false);
    page.remove(); // twice is fine
  });

  it('throws when the parent folder does not exist (serve then prints why and opens nothing)', () => {
    expect(() => writeLaunchPage('http://127.0.0.1/', join(folder.path, 'missing', 'deeper'))).toThrow();
  });
});

describe('openerCommand', () => {
  it.each([
    ['linux', 'xdg-open'],
    ['freebsd', 'xdg-open'],
    ['darwin', 'open'],
    ['win32', 'explorer.exe'],
  ] as const)('%s opens the file with %s', (platform, command) => {
    expect(openerCommand(platform, '/tmp/x/open.html')).toEqual([command, ['/tmp/x/open.html']]);
  });
});

describe('longview serve opening the browser', () => {
  it.skipIf(process.platform !== 'linux')('gives xdg-open a private page, never the token, and removes the page on Ctrl-C', async () => {
    const bin = join(folder.path, 'bin');
    mkdirSync(bin);
    const record = join(folder.path, 'opener-arguments.txt');
    // The stand-in opener keeps its arguments and a copy of the page it was asked to open.
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.partial"\ncat "$1" > "${record}.page"\nmv "${record}.partial" "${record}"\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, LONGVIEW_CACHE_DIR: join(folder.path, 'cache'), TMPDIR: folder.path };
    const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', join(folder.path, 'data')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    for (let waited = 0; !existsSync(record) && waited < 20_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const url = /running at (\S+)/.exec(stdout)?.[1];
    expect(url, stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const token = new URL(url!).searchParams.get('token')!;
    const argumentsGiven = readFileSync(record, 'utf8').trimEnd().split('\n');
    expect(argumentsGiven).toHaveLength(1);
    expect(argumentsGiven[0]).not.toContain(token);
    expect(argumentsGiven[0]!.startsWith(join(folder.path, 'longview-open-'))).toBe(true);
    expect(readFileSync(`${record}.page`, 'utf8')).toBe(launchPageHtml(url!));
    expect(existsSync(argumentsGiven[0]!)).toBe(true); // kept while the server runs: the browser may be slow to start

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(dirname(argumentsGiven[0]!))).toBe(false);
  }, 30_000);
});
