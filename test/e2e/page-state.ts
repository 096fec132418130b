/**
 * Test helper (not a test): what the page shows, read inside the browser. Each function runs in
 * the page (page.evaluate) and returns plain values; locators cover everything with a name, these
 * cover what only the DOM or a canvas can tell (the video's clock, the heatmap's pixels).
 */
import type { Page } from 'playwright-core';
import type { BrowserGlobals, PageCanvas, PageVideo } from './browser-globals.js';

/** The player's <video>: its clock (seconds) and whether it is paused. */
export async function videoState(page: Page): Promise<{ currentTime: number; paused: boolean; duration: number; readyState: number }> {
  return page.evaluate(() => {
    const video = (globalThis as unknown as BrowserGlobals).document.querySelector('video') as PageVideo | null;
    if (video === null) throw new Error('no <video> on the page');
    return { currentTime: video.currentTime, paused: video.paused, duration: video.duration, readyState: video.readyState };
  });
}

/**
 * The attention heatmap overlay's painted pixels (alpha > 0) and its size; null when the overlay
 * is not on the page. The canvas is decorative (aria-hidden), so it is found by its class.
 */
export async function heatmapPixels(page: Page): Promise<{ painted: number; total: number } | null> {
  return page.evaluate(() => {
    const canvas = (globalThis as unknown as BrowserGlobals).document.querySelector('canvas.heatmap') as PageCanvas | null;
    if (canvas === null) return null;
    const context = canvas.getContext('2d');
    if (context === null || canvas.width === 0 || canvas.height === 0) return { painted: 0, total: 0 };
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let index = 3; index < data.length; index += 4) if (data[index]! > 0) painted += 1;
    return { painted, total: canvas.width * canvas.height };
  });
}

/** One moment of a running analysis as the page showed it. */
export interface ProgressSample {
  windowsDone: number;
  /** null while the total is not known ("?"). */
  windowsTotal: number | null;
  status: string;
  /** The count badge on the Segments tab: the segments the list holds (0 when the badge is absent). */
  segmentsListed: number;
}

/**
 * Starts recording every state the Analysis panel and the Segments tab pass through (a
 * MutationObserver samples after each DOM change), so a test can see intermediate states of a
 * run however fast it is. Read them with `progressSamples`.
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const browser = globalThis as unknown as BrowserGlobals;
    const document = browser.document;
    const samples: ProgressSample[] = [];
    browser.__progressSamples = samples;
    const sample = (): void => {
      const panel = document.querySelector('section[aria-label="Analysis"]')?.textContent ?? '';
      const windows = /(\d+) \/ (\d+|\?) windows/.exec(panel);
      const status = /Status: (\w+)/.exec(panel);
      const badge = document.querySelector('#tab-segments .count')?.textContent ?? '0';
      if (windows === null) return;
      const next: ProgressSample = {
        windowsDone: Number(windows[1]),
        windowsTotal: windows[2] === '?' ? null : Number(windows[2]),
        status: status?.[1] ?? '',
        segmentsListed: Number(badge),
      };
      const last = samples.at(-1);
      if (last === undefined || JSON.stringify(last) !== JSON.stringify(next)) samples.push(next);
    };
    new browser.MutationObserver(sample).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

export async function progressSamples(page: Page): Promise<ProgressSample[]> {
  return page.evaluate(() => ((globalThis as unknown as BrowserGlobals).__progressSamples ?? []) as ProgressSample[]);
}
