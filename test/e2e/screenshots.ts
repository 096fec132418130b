/**
 * Test helper (not a test): where screenshots go for a person to look at: $LONGVIEW_E2E_SHOTS,
 * else /tmp/longview-e2e-shots/ (never the repository). Screenshots are evidence, not assertions.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export function screenshotFolder(): string {
  const folder = process.env.LONGVIEW_E2E_SHOTS ?? '/tmp/longview-e2e-shots';
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** Saves `<folder>/<name>.png` of the page (or of one element) and returns its path. */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<string> {
  const path = join(screenshotFolder(), `${name}.png`);
  await target.screenshot({ path });
  return path;
}
