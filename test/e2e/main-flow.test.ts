/**
 * The app end to end, as a user meets it: `longview serve` (the real CLI, a child process) with a
 * generated video, driven in Debian's Chromium. Open → analyze (segments show while it runs) →
 * scrub → heatmap → edit and undo → export JSON (valid against the schema, edits included) →
 * restart the server and find the edits again. No CSP violation or console error on the way.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineLayout } from '../../renderer/src/components/timeline/layout.js';
import type { ResultDocument } from '../../src/shared/result-document.js';
import { openSession, type AppSession } from './app-session.js';
import type { BrowserGlobals } from './browser-globals.js';
import { mainFlowModel, makeSyntheticVideo } from './fixtures.js';
import { heatmapPixels, progressSamples, recordProgress, videoState } from './page-state.js';
import { saveScreenshot } from './screenshots.js';

const schema = JSON.parse(readFileSync(new URL('../../resources/schemas/longview-analysis.v1.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

/** Generous: a loaded 2-core CI machine analyses slowly. Waits, not assertions on speed. */
const RUN_LIMIT_MS = 90_000;
const STEP_LIMIT_MS = 20_000;
const VIDEO_SECONDS = 24;

let session: AppSession;
let video: string;
let model: { path: string; title: string; isDefault: boolean };
/** The session's current page (a new one after the restart). */
let page: Page;

beforeAll(async () => {
  session = await openSession({
    prefix: 'longview-e2e-main-',
    async prepare(workspace) {
      video = await makeSyntheticVideo(workspace.root, 'activities', VIDEO_SECONDS, 4242);
      model = mainFlowModel(workspace);
      return { videos: [video] };
    },
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

/** The Segments tab's list: its rows (header excluded) and the "N segments" count. */
function segmentRows() {
  return page.getByRole('region', { name: 'Segment table' }).locator('tbody').getByRole('row');
}

async function segmentCount(): Promise<number> {
  const text = await page.getByText(/^\d+ segments$/).textContent();
  return Number(/^(\d+)/.exec(text ?? '')?.[1]);
}

describe('longview serve in Chromium: the main flow', () => {
  it('loads with the startup video playable', async () => {
    await expect.poll(() => page.title()).toBe('Longview');
    await page.getByRole('banner').getByText('activities.mp4', { exact: true }).waitFor();
    await expect.poll(async () => (await videoState(page)).readyState, { timeout: STEP_LIMIT_MS }).toBeGreaterThanOrEqual(1);
    expect((await videoState(page)).duration).toBeCloseTo(VIDEO_SECONDS, 0);
    await page.getByRole('status').filter({ hasText: 'Engine ready' }).waitFor();
  });

  it('analyzes, showing windows and segments before the run completes', async () => {
    const picker = page.getByRole('combobox', { name: 'Model', exact: true });
    if (!model.isDefault) await picker.selectOption({ label: model.title });
    await expect.poll(() => picker.locator('option:checked').textContent()).toBe(model.title);
    await recordProgress(page);
    await page.getByRole('button', { name: 'Analyze', exact: true }).click();
    await page.waitForFunction(
      () => {
        const text = (globalThis as unknown as BrowserGlobals).document.body.textContent ?? '';
        return /Status: running/.test(text) && /[1-9]\d* \/ \d+ windows/.test(text);
      },
      undefined,
      { timeout: RUN_LIMIT_MS },
    );
    await saveScreenshot(page, 'main-1-mid-analysis');
    await page.getByText('Status: completed').waitFor({ timeout: RUN_LIMIT_MS });

    const samples = await progressSamples(page);
    const final = samples.at(-1)!;
    expect(final.status).toBe('completed');
    expect(final.windowsTotal).toBeGreaterThan(1);
    expect(final.windowsDone).toBe(final.windowsTotal);
    expect(final.segmentsListed).toBeGreaterThan(0);
    // Live: some state while running had windows done but not all, and segments already listed.
    const live = samples.filter((sample) => sample.status === 'running' && sample.windowsTotal !== null && sample.windowsDone < sample.windowsTotal);
    expect(live.length).toBeGreaterThan(1);
    expect(live.some((sample) => sample.segmentsListed > 0)).toBe(true);
    // Windows arrive one by one: the done count only grows.
    const done = samples.map((sample) => sample.windowsDone);
    expect(done).toEqual([...done].sort((first, second) => first - second));
  });

  it('scrubs when the timeline is clicked', async () => {
    const timeline = page.getByLabel(/^Timeline:/);
    const box = (await timeline.boundingBox())!;
    const before = (await videoState(page)).currentTime;
    // The ruler row: a click there moves the playhead.
    const ruler = timelineLayout(0).ruler;
    await timeline.click({ position: { x: box.width * 0.6, y: ruler.top + ruler.height / 2 } });
    await expect.poll(async () => (await videoState(page)).currentTime, { timeout: STEP_LIMIT_MS }).not.toBeCloseTo(before, 1);
    const after = (await videoState(page)).currentTime;
    expect(after).toBeGreaterThan(VIDEO_SECONDS * 0.5);
    expect(after).toBeLessThan(VIDEO_SECONDS * 0.7);
  });

  it('paints the heatmap, and H hides it', async () => {
    const toggle = page.getByRole('checkbox', { name: 'Heatmap', exact: true });
    expect(await toggle.isChecked()).toBe(true);
    await expect.poll(async () => (await heatmapPixels(page))?.painted ?? 0, { timeout: STEP_LIMIT_MS }).toBeGreaterThan(0);
    await saveScreenshot(page, 'main-2-finished-with-heatmap');

    await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.blur());
    await page.keyboard.press('h');
    await expect.poll(() => toggle.isChecked()).toBe(false);
    // Hidden: the overlay is gone, or (were it kept) it paints nothing.
    await expect.poll(async () => (await heatmapPixels(page))?.painted ?? 0).toBe(0);

    await page.keyboard.press('h');
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect.poll(async () => (await heatmapPixels(page))?.painted ?? 0, { timeout: STEP_LIMIT_MS }).toBeGreaterThan(0);
  });

  it('deletes a segment in the list, and Ctrl+Z brings it back', async () => {
    await page.getByRole('tab', { name: /^Segments/ }).click();
    await segmentRows().first().waitFor();
    const count = await segmentCount();
    const labelsBefore = await segmentRows().allTextContents();
    expect(labelsBefore.length).toBe(count);

    await segmentRows().first().click();
    await expect.poll(() => segmentRows().first().getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(segmentCount).toBe(count - 1);
    expect(await segmentRows().allTextContents()).toEqual(labelsBefore.slice(1));
    await saveScreenshot(page, 'main-3-segment-deleted');

    await page.keyboard.press('Control+z');
    await expect.poll(segmentCount).toBe(count);
    expect(await segmentRows().allTextContents()).toEqual(labelsBefore);
  });

  let relabeled: { startText: string; label: string };

  it('relabels a segment: the row says "edited" and the edit is saved', async () => {
    const row = segmentRows().first();
    await row.click();
    const labelPicker = page.getByRole('combobox', { name: 'Label', exact: true });
    const current = await labelPicker.locator('option:checked').textContent();
    const options = await labelPicker.locator('option').allTextContents();
    const other = options.find((option) => option !== current)!;
    await labelPicker.selectOption({ label: other });
    await expect.poll(() => row.textContent()).toContain(other);
    expect(await row.textContent()).toContain('edited');
    relabeled = { startText: (await row.locator('td').first().textContent()) ?? '', label: other };
    await saveScreenshot(page, 'main-4-segment-list-relabeled');
    // Autosave: the edits file in the data folder gets the new label.
    const editsFolder = join(session.workspace.dataDirectory, 'edits');
    await expect
      .poll(() => {
        try {
          return readdirSync(editsFolder).filter((name) => name.endsWith('.json')).map((name) => readFileSync(join(editsFolder, name), 'utf8')).join('');
        } catch {
          return '';
        }
      }, { timeout: STEP_LIMIT_MS })
      .toContain(JSON.stringify(other));
  });

  it('exports JSON through the export dialog: valid, with the edit in it', async () => {
    await page.keyboard.press('Control+e');
    const dialog = page.getByRole('dialog', { name: 'Export segments' });
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.getByRole('radio', { name: /^JSON/ }).isChecked()).toBe(true);
    expect(await dialog.textContent()).toContain('1 edited by you');
    await saveScreenshot(page, 'main-5-export-dialog');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_LIMIT_MS }), dialog.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const document = JSON.parse(text) as ResultDocument;
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(document.video.path).toBe(video);
    expect(document.segments.length).toBe(await segmentCount());
    const first = document.segments[0]!;
    expect(first.label).toBe(relabeled.label);
    expect(document.model.labels[first.labelIndex]).toBe(relabeled.label);
    await expect.poll(() => dialog.getByRole('status').textContent()).toContain(download.suggestedFilename());
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('raised no CSP violation, console error or page exception', async () => {
    expect(await session.problems()).toEqual([]);
  });

  it('shows the saved edit again after the server restarts with the same data folder', async () => {
    await session.restart();
    page = session.page;
    await page.getByRole('banner').getByText('activities.mp4', { exact: true }).waitFor();
    // The finished analysis comes from the store, without running the model.
    await page.getByText('Status: completed').waitFor({ timeout: RUN_LIMIT_MS });
    await page.getByRole('tab', { name: /^Segments/ }).click();
    const row = segmentRows().first();
    await expect.poll(() => row.textContent()).toContain(relabeled.label);
    expect(await row.textContent()).toContain('edited');
    expect(await row.locator('td').first().textContent()).toBe(relabeled.startText);
    expect(await session.problems()).toEqual([]);
  });
});
