/**
 * A keyboard-only pass over the app in Chromium: after the page loads, nothing but
 * page.keyboard drives it. Tab reaches named controls and the Analyze button; the shortcuts of
 * the shortcut sheet do what they say (play/pause, frame and second steps, Home/End, zoom,
 * segment jumps, the export dialog); Escape closes the dialogs.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type AppSession } from './app-session.js';
import type { BrowserGlobals, PageCanvas } from './browser-globals.js';
import { makeSyntheticVideo } from './fixtures.js';
import { videoState } from './page-state.js';
import { saveScreenshot } from './screenshots.js';

const RUN_LIMIT_MS = 90_000;
const VIDEO_SECONDS = 24;
const FPS = 30;
/** More Tab presses than the page has stops: a loop that never finds its target fails, not hangs. */
const MAXIMUM_TABS = 60;

let session: AppSession;
let page: Page;

beforeAll(async () => {
  session = await openSession({
    prefix: 'longview-e2e-keyboard-',
    async prepare(workspace) {
      return { videos: [await makeSyntheticVideo(workspace.root, 'keyboard', VIDEO_SECONDS, 4242)] };
    },
  });
  page = session.page;
  await page.getByRole('banner').getByText('keyboard.mp4', { exact: true }).waitFor();
});

afterAll(async () => {
  await session?.close();
});

/** The focused element as the accessibility tree names it, e.g. `button "Play"`; '' when nothing is. */
async function focused(): Promise<string> {
  const locator = page.locator(':focus');
  if ((await locator.count()) === 0) return '';
  return ((await locator.ariaSnapshot()).split('\n')[0] ?? '').replace(/^- /, '').replace(/:$/, '');
}

/** Presses Tab (or Shift+Tab) until `wanted` has focus; returns every stop on the way. */
async function tabTo(wanted: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<string[]> {
  const stops: string[] = [];
  for (let press = 0; press < MAXIMUM_TABS; press += 1) {
    await page.keyboard.press(key);
    const now = await focused();
    stops.push(now);
    if (now.startsWith(wanted)) return stops;
  }
  throw new Error(`${key} never reached ${wanted}; stops: ${stops.join(' | ')}`);
}

async function time(): Promise<number> {
  return (await videoState(page)).currentTime;
}

/** The timeline's picture, to tell whether a key changed what it shows. */
async function timelinePicture(): Promise<string> {
  return page.evaluate(() => ((globalThis as unknown as BrowserGlobals).document.querySelector('canvas.surface') as PageCanvas).toDataURL());
}

describe('a keyboard-only pass', () => {
  it('Tab reaches every control by name, and Enter on Analyze runs the analysis', async () => {
    const stops = await tabTo('button "Analyze"');
    expect(stops).toEqual(expect.arrayContaining(['textbox "Video path"', 'button "Play"', 'checkbox "Heatmap" [checked]', 'tab "Analysis" [selected]', 'combobox "Model"']));
    // Every stop has an accessible name: a role alone (`button`) would be unusable with a screen reader.
    for (const stop of stops) expect(stop, `the Tab stop ${stop} has no accessible name`).toMatch(/^\w+ ".+"/);
    await page.keyboard.press('Enter');
    await page.getByText('Status: completed').waitFor({ timeout: RUN_LIMIT_MS });
  });

  it('reaches the segment table through the tab list (arrow keys switch tabs)', async () => {
    await tabTo('tab "Analysis"', 'Shift+Tab');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatch(/^tab "Segments \d+" \[selected\]/);
    await tabTo('region "Segment table"');
  });

  it('? opens the shortcut sheet and Escape closes it', async () => {
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor({ state: 'visible' });
    expect(await sheet.textContent()).toContain('Play / pause');
    await saveScreenshot(page, 'keyboard-1-shortcut-sheet');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    // Focus returns to where it was, so the shortcuts keep working.
    expect(await focused()).toMatch(/^region "Segment table"/);
  });

  it('Space plays and pauses', async () => {
    expect((await videoState(page)).paused).toBe(true);
    const playButton = page.getByRole('toolbar', { name: 'Playback' }).getByRole('button', { name: /^(Play|Pause)$/ });
    await page.keyboard.press(' ');
    await expect.poll(async () => (await videoState(page)).paused).toBe(false);
    // The app learns of playing from the video's 'play' event; its button says so once it has.
    await expect.poll(() => playButton.getAttribute('aria-label')).toBe('Pause');
    await page.keyboard.press(' ');
    await expect.poll(async () => (await videoState(page)).paused).toBe(true);
    await expect.poll(() => playButton.getAttribute('aria-label')).toBe('Play');
  });

  it('Home, →/← step one frame, Shift+→/← one second, End goes to the end', async () => {
    await page.keyboard.press('Home');
    await expect.poll(time).toBe(0);
    await page.keyboard.press('ArrowRight');
    await expect.poll(time).toBeGreaterThan(0);
    const first = await time();
    await page.keyboard.press('ArrowRight');
    await expect.poll(time).toBeGreaterThan(first);
    const second = await time();
    expect(second - first).toBeCloseTo(1 / FPS, 3);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(time).toBeLessThan(second);
    expect(await time()).toBeCloseTo(first, 3);

    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(time).toBeGreaterThan(first + 0.5);
    expect((await time()) - first).toBeCloseTo(1, 3);
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(time).toBeLessThan(first + 0.5);
    expect(await time()).toBeCloseTo(first, 3);

    await page.keyboard.press('End');
    await expect.poll(time).toBeGreaterThan(VIDEO_SECONDS - 0.5);
    await page.keyboard.press('Home');
    await expect.poll(time).toBe(0);
  });

  it('] and [ jump between segment starts', async () => {
    await page.keyboard.press(']');
    await expect.poll(time).toBeGreaterThan(0);
    const next = await time();
    await page.keyboard.press(']');
    await expect.poll(time).toBeGreaterThan(next);
    await page.keyboard.press('[');
    await expect.poll(time).toBeLessThan(next + 0.01);
    expect(await time()).toBeCloseTo(next, 3);
  });

  it('+ and - zoom the timeline', async () => {
    const fitted = await timelinePicture();
    await page.keyboard.press('+');
    await expect.poll(timelinePicture).not.toBe(fitted);
    const zoomed = await timelinePicture();
    await page.keyboard.press('-');
    await expect.poll(timelinePicture).not.toBe(zoomed);
  });

  it('Ctrl+E opens the export dialog and Escape closes it', async () => {
    await page.keyboard.press('Control+e');
    const dialog = page.getByRole('dialog', { name: 'Export segments' });
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('raised no CSP violation, console error or page exception', async () => {
    expect(await session.problems()).toEqual([]);
  });
});
