/**
 * Labels are data, never markup: a model whose class names are HTML and script payloads is
 * chosen in the picker and run, and its labels show in the segment list, the label picker and
 * the timeline's tooltip as the literal text, with no element created from them, no script run
 * and no Content-Security-Policy violation (which an injected handler would trigger).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineLayout } from '../../renderer/src/components/timeline/layout.js';
import { makeVideo } from '../video/make-videos.js';
import { openSession, type AppSession } from './app-session.js';
import type { BrowserGlobals } from './browser-globals.js';
import { installFixtureModel } from './fixtures.js';
import { saveScreenshot } from './screenshots.js';

const RUN_LIMIT_MS = 90_000;
const IMAGE_PAYLOAD = '<img src=x onerror="window.__pwned=1">';
/** One label per class of the fixture (5): each a different way to smuggle markup or script. */
const HOSTILE_LABELS = [IMAGE_PAYLOAD, '<script>window.__pwned=2</script>', '"><svg onload="window.__pwned=3">', '<b>bold</b> &amp; &lt;i&gt;', '{@html "<i>x</i>"}'];
const MODEL_NAME = 'hostile-labels';

let session: AppSession;
let page: Page;

beforeAll(async () => {
  session = await openSession({
    prefix: 'longview-e2e-xss-',
    async prepare(workspace) {
      installFixtureModel(workspace, MODEL_NAME, HOSTILE_LABELS);
      const video = await makeVideo(workspace.root, { name: 'pattern', seconds: 8, fps: 30, width: 128, height: 96, codec: 'h264', container: 'mp4' });
      return { videos: [video] };
    },
  });
  page = session.page;
  await page.getByRole('banner').getByText('pattern.mp4', { exact: true }).waitFor();
});

afterAll(async () => {
  await session?.close();
});

/** What a payload would leave behind had it been parsed as HTML. */
async function injected(): Promise<{ pwned: unknown; images: number; svgs: number; bold: number; scripts: number }> {
  return page.evaluate(() => {
    const browser = globalThis as unknown as BrowserGlobals;
    const scripts = Array.from(browser.document.querySelectorAll('script')).filter((script) => (script.textContent ?? '').includes('__pwned'));
    return {
      pwned: browser.__pwned,
      images: browser.document.querySelectorAll('img').length,
      svgs: browser.document.querySelectorAll('svg[onload]').length,
      bold: browser.document.querySelectorAll('b').length,
      scripts: scripts.length,
    };
  });
}

describe('labels that are HTML', () => {
  it('runs the model chosen in the picker', async () => {
    const picker = page.getByRole('combobox', { name: 'Model', exact: true });
    await picker.selectOption({ label: MODEL_NAME });
    await expect.poll(() => picker.locator('option:checked').textContent()).toBe(MODEL_NAME);
    await page.getByRole('button', { name: 'Analyze', exact: true }).click();
    await page.getByText('Status: completed').waitFor({ timeout: RUN_LIMIT_MS });
    expect(await page.getByRole('region', { name: 'Analysis' }).textContent()).toContain(`Model: ${MODEL_NAME}`);
  });

  it('shows every label as literal text in the label picker', async () => {
    await page.getByRole('tab', { name: /^Segments/ }).click();
    const labelPicker = page.getByRole('combobox', { name: 'Label', exact: true });
    await labelPicker.waitFor();
    const options = await labelPicker.locator('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(HOSTILE_LABELS));
  });

  it('shows a segment relabelled to the <img> payload as text, and nothing runs', async () => {
    const row = page.getByRole('region', { name: 'Segment table' }).locator('tbody').getByRole('row').first();
    await row.click();
    await page.getByRole('combobox', { name: 'Label', exact: true }).selectOption({ label: IMAGE_PAYLOAD });
    const shown = page.getByRole('region', { name: 'Segment table' }).getByText(IMAGE_PAYLOAD, { exact: true });
    await shown.first().waitFor();
    expect(await shown.first().textContent()).toBe(IMAGE_PAYLOAD);
    expect(await injected()).toEqual({ pwned: undefined, images: 0, svgs: 0, bold: 0, scripts: 0 });
  });

  it('shows the labels as text in the timeline tooltip', async () => {
    // Inside the first segment of the edited row, where the timeline's own layout puts it.
    const edited = timelineLayout(HOSTILE_LABELS.length).edited;
    await page.getByLabel(/^Timeline:/).hover({ position: { x: 8, y: edited.top + edited.height / 2 } });
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain(IMAGE_PAYLOAD);
    await saveScreenshot(page, 'xss-labels-as-text');
    expect(await injected()).toEqual({ pwned: undefined, images: 0, svgs: 0, bold: 0, scripts: 0 });
  });

  it('raised no CSP violation, console error or page exception', async () => {
    expect(await session.problems()).toEqual([]);
  });
});
