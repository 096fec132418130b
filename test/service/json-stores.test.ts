import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecentVideos, withRecent } from '../../src/service/recent-videos.js';
import { DEFAULT_SETTINGS, SettingsStore } from '../../src/service/settings-store.js';
import { temporaryFolder } from '../video/test-files.js';

let folder: { path: string; remove: () => void };
beforeEach(() => {
  folder = temporaryFolder('longview-stores-');
});
afterEach(() => folder.remove());

describe('SettingsStore', () => {
  it.each([
    ['not JSON', '{"format": "longview-settings", '],
    ['a wrong field', JSON.stringify({ format: 'longview-settings', version: 1, settings: { ...DEFAULT_SETTINGS, backend: 'gpu' } })],
    ['another version', JSON.stringify({ format: 'longview-settings', version: 9, settings: DEFAULT_SETTINGS })],
  ])('reads defaults from a settings file that is %s, and keeps that file aside', (_, text) => {
    writeFileSync(join(folder.path, 'settings.json'), text);
    expect(new SettingsStore(folder.path).get()).toEqual(DEFAULT_SETTINGS);
    const names = readdirSync(folder.path);
    expect(names).not.toContain('settings.json');
    const aside = names.find((name) => name.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(folder.path, aside!), 'utf8')).toBe(text);
  });

  it('writes atomically and keeps the previous file as .bak', () => {
    const store = new SettingsStore(folder.path);
    store.set({ ...DEFAULT_SETTINGS, backend: 'wasm' });
    store.set({ ...DEFAULT_SETTINGS, backend: 'cpu' });
    expect(new SettingsStore(folder.path).get().backend).toBe('cpu');
    expect(JSON.parse(readFileSync(join(folder.path, 'settings.json.bak'), 'utf8'))).toMatchObject({ settings: { backend: 'wasm' } });
  });
});

describe('recent videos', () => {
  const entry = (path: string) => ({ path, name: path.slice(1), openedAt: '2025-01-01T00:00:00.000Z' });

  it.each([
    [[], '/a', 12, ['/a']],
    [['/b', '/a'], '/a', 12, ['/a', '/b']],
    [['/b', '/c', '/d'], '/a', 3, ['/a', '/b', '/c']],
  ])('withRecent(%j, %s, %i) → %j', (before, added, limit, after) => {
    expect(withRecent(before.map(entry), entry(added), limit).map((item) => item.path)).toEqual(after);
  });

  it('lists most recent first, at most 12, and says which files are gone', () => {
    mkdirSync(join(folder.path, 'videos'));
    const recent = new RecentVideos(folder.path);
    const paths = Array.from({ length: 14 }, (_, index) => join(folder.path, 'videos', `v${index}.mp4`));
    for (const path of paths) writeFileSync(path, 'x');
    for (const path of paths) recent.add(path);
    recent.add(paths[3]!);
    writeFileSync(paths[13]!, '');
    const listed = recent.list();
    expect(listed).toHaveLength(12);
    expect(listed[0]).toMatchObject({ path: paths[3], name: 'v3.mp4', exists: true });
    expect(listed.map((item) => item.path)).not.toContain(paths[0]);
    expect(new RecentVideos(join(folder.path, 'elsewhere')).list()).toEqual([]);
  });
});
