/** Shared setup of the pull tests: a temporary HF cache and settings pointing at a mock Hub. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { HubSettings } from '../../../src/models/hub/hub-settings.js';
import { startMockHub, type MockHub, type MockRepository } from '../mock-hub.js';
import type { PullEvent } from '../../../src/shared/models.js';

const folders: string[] = [];

export function temporaryCache(): string {
  const folder = mkdtempSync(join(tmpdir(), 'longview-hub-'));
  folders.push(folder);
  return join(folder, 'hub');
}

export function removeTemporaryCaches(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

export function settingsFor(endpoint: string, cacheDirectory: string, overrides: Partial<HubSettings> = {}): HubSettings {
  return { endpoint, cacheDirectory, token: undefined, offline: false, proxy: { httpProxy: '', httpsProxy: '', noProxy: '' }, ...overrides };
}

/** Every file and link under a folder, '/'-separated and sorted. */
export function listTree(folder: string): string[] {
  const entries = readdirSync(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

export function collectEvents(): { events: PullEvent[]; onEvent: (event: PullEvent) => void } {
  const events: PullEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}

/**
 * A mock Hub for the whole test file: started before the tests, its request log and knobs reset
 * after each, closed (and the temporary caches removed) at the end. Read `current()` inside tests.
 */
export function mockHubPerFile(repositories: () => MockRepository[]): { current: () => MockHub } {
  let hub: MockHub | undefined;
  beforeAll(async () => {
    hub = await startMockHub({ repositories: repositories() });
  });
  afterAll(async () => {
    await hub?.close();
    removeTemporaryCaches();
  });
  afterEach(() => {
    if (hub === undefined) return;
    hub.requests.length = 0;
    for (const key of Object.keys(hub.knobs)) delete hub.knobs[key as keyof typeof hub.knobs];
  });
  return {
    current: () => {
      if (hub === undefined) throw new Error('the mock Hub is not started yet');
      return hub;
    },
  };
}
