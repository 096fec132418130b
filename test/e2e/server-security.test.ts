/**
 * `longview serve` seen from the browser: a page on another origin (another port of 127.0.0.1)
 * cannot open the API socket, even with the right token (the Origin is checked), and cannot load
 * or read the media without the token; the app's own page with a wrong token says its token is
 * not accepted, and shows no data. The server's unit tests check the same rules at the HTTP level.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../video/make-videos.js';
import { openSession, type AppSession } from './app-session.js';
import { watchProblems } from './browser.js';
import type { BrowserGlobals } from './browser-globals.js';
import { saveScreenshot } from './screenshots.js';

let session: AppSession;
let foreignServer: Server;
let foreignOrigin: string;
/** The media path of the open video as the app's page uses it, without its token: /media/ID */
let mediaPath: string;

beforeAll(async () => {
  session = await openSession({
    prefix: 'longview-e2e-security-',
    async prepare(workspace) {
      return { videos: [await makeVideo(workspace.root, { name: 'private', seconds: 2, fps: 30, width: 96, height: 64, codec: 'h264', container: 'mp4' })] };
    },
  });
  await session.page.getByRole('banner').getByText('private.mp4', { exact: true }).waitFor();
  const source = await session.page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.querySelector('video')?.getAttribute('src') ?? '');
  mediaPath = new URL(source, session.server.origin).pathname;
  // Another origin on this machine: what any web page the user visits could be.
  foreignServer = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Somebody else</title><p>another site</p>');
  });
  await new Promise<void>((resolve) => foreignServer.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreignServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await session?.close();
  await new Promise<void>((resolve) => (foreignServer === undefined ? resolve() : foreignServer.close(() => resolve())));
});

/** Opens a WebSocket from the page; 'open' or 'refused' (an error or a close before opening). */
function trySocket(page: Page, url: string): Promise<'open' | 'refused'> {
  return page.evaluate(
    (target) =>
      new Promise<'open' | 'refused'>((resolve) => {
        const socket = new (globalThis as unknown as BrowserGlobals).WebSocket(target);
        socket.addEventListener('open', () => {
          socket.close();
          resolve('open');
        });
        socket.addEventListener('error', () => resolve('refused'));
        socket.addEventListener('close', () => resolve('refused'));
      }),
    url,
  );
}

/** Loads a URL as a <video> source in the page: 'loaded' (metadata read) or 'failed'. */
function tryMedia(page: Page, url: string): Promise<'loaded' | 'failed'> {
  return page.evaluate(
    (target) =>
      new Promise<'loaded' | 'failed'>((resolve) => {
        const video = (globalThis as unknown as BrowserGlobals).document.createElement('video');
        video.preload = 'metadata';
        video.addEventListener('loadedmetadata', () => resolve('loaded'));
        video.addEventListener('error', () => resolve('failed'));
        video.src = target;
      }),
    url,
  );
}

/** fetch() from the page: the status, or 'blocked' when the browser refuses to give the answer to the page. */
function tryFetch(page: Page, url: string): Promise<number | 'blocked'> {
  return page.evaluate((target) => (globalThis as unknown as BrowserGlobals).fetch(target).then((response) => response.status, () => 'blocked' as const), url);
}

describe('the server as another web page sees it', () => {
  let foreign: Page;

  beforeAll(async () => {
    foreign = await session.context.newPage();
    await foreign.goto(foreignOrigin);
  });

  it('refuses the API socket to another origin, with or without the token', async () => {
    const socketOrigin = session.server.origin.replace('http:', 'ws:');
    expect(await trySocket(foreign, `${socketOrigin}/api`)).toBe('refused');
    expect(await trySocket(foreign, `${socketOrigin}/api?token=wrong`)).toBe('refused');
    // Even the real token: the socket is refused for the foreign Origin header alone.
    expect(await trySocket(foreign, `${socketOrigin}/api?token=${session.server.token}`)).toBe('refused');
  });

  it('opens the API socket from the app’s own page (the check above is not vacuous)', async () => {
    const socketOrigin = session.server.origin.replace('http:', 'ws:');
    expect(await trySocket(session.page, `${socketOrigin}/api?token=${session.server.token}`)).toBe('open');
  });

  it('does not let another page load or read the media without the token', async () => {
    const media = `${session.server.origin}${mediaPath}`;
    expect(await tryMedia(foreign, media)).toBe('failed');
    expect(await tryMedia(foreign, `${media}?token=wrong`)).toBe('failed');
    expect(await tryFetch(foreign, media)).toBe('blocked');
    // The same request with the token loads: the refusals above are the token check at work.
    expect(await tryMedia(foreign, `${media}?token=${session.server.token}`)).toBe('loaded');
  });
});

describe('the app’s page with a wrong token', () => {
  let page: Page;

  beforeAll(async () => {
    page = await session.context.newPage();
    await page.goto(`${session.server.origin}/?token=not-the-token`);
  });

  it('says the page’s token is not accepted (not a network drop), and shows no data', async () => {
    await page.getByRole('alert').filter({ hasText: 'access token is not accepted' }).waitFor();
    expect(await page.getByText('Connection to Longview lost').count()).toBe(0);
    expect(await page.getByRole('banner').textContent()).toContain('No video open');
    expect(await page.locator('video').count()).toBe(0);
    expect(await page.getByText('private.mp4').count()).toBe(0);
    await saveScreenshot(page, 'security-wrong-token');
  });
});

describe('the Content-Security-Policy of the app’s page', () => {
  it('is sent, and the violation recorder the other tests rely on sees inline script blocked', async () => {
    const page = await session.context.newPage();
    const watcher = await watchProblems(page);
    const response = await page.goto(session.server.url);
    const policy = (await response!.allHeaders())['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain(`connect-src 'self' ${session.server.origin.replace('http:', 'ws:')}`);
    await page.getByRole('banner').getByText('private.mp4', { exact: true }).waitFor();
    expect(await watcher.problems()).toEqual([]);

    await page.evaluate(() => {
      const browser = globalThis as unknown as BrowserGlobals;
      const script = browser.document.createElement('script');
      script.textContent = 'window.__pwned = 4';
      browser.document.body.appendChild(script);
    });
    await expect.poll(async () => (await watcher.problems()).filter((problem) => problem.kind === 'csp').length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned)).toBeUndefined();
    await page.close();
  });
});
