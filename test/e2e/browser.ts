/**
 * Test helper (not a test): Debian's Chromium driven by playwright-core, one fresh context per
 * test file, and a recorder of what must never happen on the page: Content-Security-Policy
 * violations, console errors and uncaught exceptions.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { BrowserGlobals } from './browser-globals.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Quiet, offline, no GPU: the flags CI needs to run Chromium headless in a container. */
const CHROMIUM_ARGUMENTS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The end-to-end tests drive Debian's Chromium at ${CHROMIUM}, which is not installed: run \`apt-get install -y chromium\` (CI installs it).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGUMENTS });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
}

/** One thing the page did wrong, in words. */
export interface PageProblem {
  kind: 'csp' | 'console' | 'exception';
  text: string;
}

/**
 * Records CSP violations (from inside the page, registered before any of its scripts run),
 * console errors and uncaught exceptions. `problems()` reads them; call it while the page is open.
 */
export async function watchProblems(page: Page): Promise<{ problems(): Promise<PageProblem[]> }> {
  const fromNode: PageProblem[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') fromNode.push({ kind: 'console', text: `${message.text()} (${message.location().url})` });
  });
  page.on('pageerror', (error) => fromNode.push({ kind: 'exception', text: error.message }));
  await page.addInitScript(() => {
    const browser = globalThis as unknown as BrowserGlobals;
    const violations: string[] = [];
    browser.__cspViolations = violations;
    browser.document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return {
    async problems() {
      const violations = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__cspViolations ?? []);
      return [...violations.map((text): PageProblem => ({ kind: 'csp', text })), ...fromNode];
    },
  };
}
