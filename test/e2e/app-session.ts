/**
 * Test helper (not a test): one end-to-end session: a temporary workspace, `longview serve` with
 * the given videos, Chromium with a fresh context and a page open on the printed address, its
 * problems watched. `close()` always closes the browser and stops the server, whatever failed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newContext, watchProblems, type PageProblem } from './browser.js';
import { makeWorkspace, type Workspace } from './fixtures.js';
import { startServe, type ServeProcess } from './serve-process.js';

export interface AppSession {
  workspace: Workspace;
  server: ServeProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  problems(): Promise<PageProblem[]>;
  /** Stops the server and starts it again on the same folders and videos, then opens a new page. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface SessionOptions {
  prefix: string;
  /** Makes the videos (and anything else on disk) in the workspace before the server starts. */
  prepare(workspace: Workspace): Promise<{ videos: string[] }>;
}

export async function openSession(options: SessionOptions): Promise<AppSession> {
  const workspace = makeWorkspace(options.prefix);
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  try {
    const { videos } = await options.prepare(workspace);
    server = await startServe({ ...workspace, videos });
    browser = await launchChromium();
    const context = await newContext(browser);
    const session: AppSession = {
      workspace,
      server,
      browser,
      context,
      page: undefined as unknown as Page,
      problems: () => Promise.resolve([]),
      async restart() {
        await session.page.close();
        await session.server.stop();
        session.server = await startServe({ ...workspace, videos });
        await openPage(session);
      },
      async close() {
        await session.browser.close().catch(() => undefined);
        await session.server.stop();
        workspace.remove();
      },
    };
    await openPage(session);
    return session;
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    workspace.remove();
    throw error;
  }
}

async function openPage(session: AppSession): Promise<void> {
  session.page = await session.context.newPage();
  const watcher = await watchProblems(session.page);
  session.problems = () => watcher.problems();
  await session.page.goto(session.server.url);
}
