/**
 * `longview models` as a user runs it, against a mock Hub on 127.0.0.1: pull (resumed after a
 * cut connection), list, add, catalog, offline reuse, and a pulled model analyzed end to end.
 * The CLI runs as a child process so each run gets its own environment (HF_ENDPOINT, HF_HOME, …).
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRepository, startMockHub, type MockHub } from '../models/mock-hub.js';
import { makeVideo } from '../video/make-videos.js';
import { temporaryFolder } from '../video/test-files.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/longview.js', import.meta.url));
const REPOSITORY = 'facebook/timesformer-tiny-test';

let folder: { path: string; remove: () => void };
let hub: MockHub;
beforeAll(async () => {
  folder = temporaryFolder('longview-models-cli-');
  hub = await startMockHub({ repositories: [fixtureRepository(REPOSITORY)] });
});
afterAll(async () => {
  await hub.close();
  folder.remove();
});

function environment(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(HF_|HUGGING|XDG_|https?_proxy|HTTPS?_PROXY|NO_PROXY|no_proxy)/.test(name)));
  return { ...clean, HF_ENDPOINT: hub.url, HF_HOME: join(folder.path, 'hf'), LONGVIEW_CACHE_DIR: join(folder.path, 'data'), ...overrides };
}

function longview(args: string[], env = environment()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('longview models', () => {
  it('pulls safetensors from refs/pr/5 into the HF cache, resuming a cut download, then lists and analyzes it', async () => {
    hub.knobs.cutAfterBytes = 120_000;
    const first = await longview(['models', 'pull', `${REPOSITORY}@refs/pr/5`, '--progress', 'lines']);
    // The cut connection fails the first attempt; its bytes stay for the next one.
    expect(first.code, first.stderr).not.toBe(0);
    expect(first.stderr.trimEnd().split('\n').at(-1)).toMatch(/^longview: .*run the same command again to resume/);
    const blobs = join(folder.path, 'hf', 'hub', 'models--facebook--timesformer-tiny-test', 'blobs');
    const partial = readdirSync(blobs).find((name) => name.endsWith('.incomplete'));
    expect(statSync(join(blobs, partial!)).size).toBeGreaterThan(0);
    const pulled = await longview(['models', 'pull', `${REPOSITORY}@refs/pr/5`, '--progress', 'lines']);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toMatch(/model\.safetensors: .*resuming at/);
    expect(pulled.stderr).toMatch(/model\.safetensors: SHA-256 verified/);
    expect(hub.requests.some((request) => request.headers.range?.startsWith('bytes=') === true)).toBe(true);
    const snapshot = pulled.stdout.trim();
    expect(lstatSync(join(snapshot, 'model.safetensors')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(snapshot, 'model.safetensors'))).toEqual(readFileSync(fileURLToPath(new URL('../fixtures/timesformer/divided-tiny/model.safetensors', import.meta.url))));
    expect(existsSync(join(snapshot, 'pytorch_model.bin'))).toBe(false);
    const repositoryFolder = join(folder.path, 'hf', 'hub', 'models--facebook--timesformer-tiny-test');
    expect(readdirSync(join(repositoryFolder, 'blobs')).filter((name) => name.endsWith('.incomplete'))).toEqual([]);

    const list = await longview(['models', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const models = JSON.parse(list.stdout) as { reference: string; location: string; license: string; problem: string | null }[];
    expect(models).toContainEqual(expect.objectContaining({ reference: REPOSITORY, location: 'hf-cache', problem: null, license: expect.stringMatching(/cc-by-nc-4\.0/) }));

    // Analyze by Hub id, offline: the pulled copy is found in the cache, no network needed.
    const video = await makeVideo(folder.path, { name: 'clip', seconds: 2, fps: 30, width: 64, height: 48, codec: 'h264', container: 'mp4' });
    const requestsBefore = hub.requests.length;
    const out = join(folder.path, 'clip.json');
    const analyzed = await longview(['analyze', video, '--model', `${REPOSITORY}@refs/pr/5`, '--window-frames', '8', '--frame-stride', '3', '--out', out, '--progress', 'none'], environment({ HF_HUB_OFFLINE: '1' }));
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(hub.requests.length).toBe(requestsBefore);
    const document = JSON.parse(readFileSync(out, 'utf8')) as { model: { id: string; license: string }; windows: unknown[] };
    expect(document.model.id).toBe(REPOSITORY);
    expect(document.model.license).toMatch(/cc-by-nc-4\.0/);
    expect(document.windows.length).toBeGreaterThan(0);
  });

  it('a second pull downloads nothing, and offline it works from the cache alone', async () => {
    const again = await longview(['models', 'pull', `${REPOSITORY}@refs/pr/5`, '--progress', 'none']);
    expect(again.code, again.stderr).toBe(0);
    const offline = await longview(['models', 'pull', `${REPOSITORY}@refs/pr/5`], environment({ HF_ENDPOINT: 'http://127.0.0.1:9', HF_HUB_OFFLINE: '1' }));
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout.trim()).toBe(again.stdout.trim());
  });

  it('says clearly when the Hub cannot be reached and the model is not on disk', async () => {
    const result = await longview(['models', 'pull', 'facebook/not-downloaded'], environment({ HF_ENDPOINT: 'http://127.0.0.1:9' }));
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/i);
    const analyze = await longview(['analyze', 'x.mp4', '--model', 'facebook/not-downloaded']);
    expect(analyze.code).toBe(4);
    expect(analyze.stderr).toMatch(/longview models pull facebook\/not-downloaded/);
  });

  it('adds a model folder, lists it, and refuses a non-model', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/timesformer/divided-small', import.meta.url));
    const added = await longview(['models', 'add', fixture]);
    expect(added.code, added.stderr).toBe(0);
    const list = await longview(['models', 'list']);
    expect(list.stdout).toMatch(/^model\s+where\s+size\s+preset\s+classes\s+license$/m);
    expect(list.stdout).toContain(fixture);
    const refused = await longview(['models', 'add', folder.path]);
    expect(refused.code).toBe(4);
  });

  it.each([
    [['models'], 2, /say what to do/],
    [['models', 'fly'], 2, /say what to do/],
    [['models', 'pull'], 2, /which model\?/],
    [['models', 'pull', '../../etc/passwd'], 2, /./],
  ])('%j exits %i', async (args, code, message) => {
    const result = await longview(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it('shows the catalog with presets, sizes and licenses', async () => {
    const result = await longview(['models', 'catalog']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/facebook\/timesformer-base-finetuned-k400\s+pull\s+8×32 @224px\s+400 Kinetics-400\s+486\.0 MB\s+CC BY-NC 4\.0/);
    expect(result.stdout).toMatch(/TimeSformer_divST_96x4_224_K400\.pyth\s+bring the file\s+96×4 @224px/);
  });
});
