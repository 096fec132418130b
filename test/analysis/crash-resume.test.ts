/**
 * kill -9 at random moments, then run again: the analysis resumes, loses at most the window in
 * flight, and the final JSON equals an uninterrupted run's (its `createdAt` aside). Drives the
 * built `longview` executable, as a user's shell would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../video/make-videos.js';
import { randomSequence } from '../helpers/random-sequence.js';
import { eventually, temporaryFolder } from '../video/test-files.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/longview.js', import.meta.url));
const TINY = fileURLToPath(new URL('../fixtures/timesformer/divided-tiny', import.meta.url));

let folder: { path: string; remove: () => void };
let video: string;
beforeAll(async () => {
  folder = temporaryFolder('longview-crash-');
  video = await makeVideo(folder.path, { name: 'crash', seconds: 8, fps: 30, width: 96, height: 64, codec: 'h264', container: 'mp4', keyframeSeconds: 1 });
});
afterAll(() => folder.remove());

function analyzeArguments(cacheDirectory: string, out: string): string[] {
  return [CLI, 'analyze', video, '--model', TINY, '--window-frames', '8', '--frame-stride', '3', '--window-stride-s', '0.4', '--cache-dir', cacheDirectory, '--out', out, '--progress', 'json', '--enter', '0.2', '--exit', '0.1'];
}

interface KilledRun {
  /** Windows the child reported as stored before it was killed. */
  reported: number;
  /** The event type the kill followed. */
  after: string;
}

/** Starts the CLI and SIGKILLs it `delayMs` after its `killAfter`-th JSON event. */
function runAndKill(args: string[], killAfter: number, delayMs: number): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let buffered = '';
    let events = 0;
    let reported = 0;
    let after = 'start';
    let killing = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (killing || !line.startsWith('{')) continue;
        const event = JSON.parse(line) as { type: string; windowsDone?: number };
        if (event.type === 'window') reported = event.windowsDone!;
        events += 1;
        if (events >= killAfter) {
          killing = true;
          after = event.type;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ reported, after });
      else reject(new Error(`longview exited with ${code}`));
    });
  });
}

function withoutCreatedAt(path: string): unknown {
  const document = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete document.createdAt;
  return document;
}

function storedWindows(cacheDirectory: string, out: string): number {
  // A run with --progress json reports how many windows it found in its `plan` event.
  const result = spawnSync(process.execPath, analyzeArguments(cacheDirectory, out), { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const plan = result.stderr.split('\n').find((line) => line.includes('"type":"plan"'));
  return (JSON.parse(plan!) as { windowsStored: number }).windowsStored;
}

describe('kill -9 and resume', () => {
  it('20 kills at random moments: each resume loses at most the window in flight and ends identical', async () => {
    const referenceOut = join(folder.path, 'reference.json');
    const reference = spawnSync(process.execPath, analyzeArguments(join(folder.path, 'reference-cache'), referenceOut), { encoding: 'utf8' });
    expect(reference.status, reference.stderr).toBe(0);
    const lines = reference.stderr.split('\n').filter((line) => line.startsWith('{'));
    const windows = lines.filter((line) => line.includes('"type":"window"')).length;
    expect(windows).toBeGreaterThan(15);
    const expected = withoutCreatedAt(referenceOut);

    const random = randomSequence(20261125);
    const outcomes: string[] = [];
    for (let chain = 0; chain < 10; chain++) {
      const cacheDirectory = join(folder.path, `cache-${chain}`);
      const out = join(folder.path, `result-${chain}.json`);
      let floor = 0;
      for (let kill = 0; kill < 2; kill++) {
        // Any event of the run, including before the first window and after the last.
        const killed = await runAndKill(analyzeArguments(cacheDirectory, out), 1 + Math.floor(random() * lines.length), Math.floor(random() * 20));
        outcomes.push(killed.after);
        // Every window reported before the kill is in the store (the child may have stored one more).
        const plan = await peekStored(cacheDirectory);
        expect(plan).toBeGreaterThanOrEqual(Math.max(killed.reported, floor));
        expect(plan).toBeLessThanOrEqual(windows);
        floor = plan;
      }
      expect(storedWindows(cacheDirectory, out)).toBeGreaterThanOrEqual(floor);
      expect(withoutCreatedAt(out)).toEqual(expected);
    }
    // The kills landed in different phases, windows among them.
    expect(outcomes).toContain('window');
    expect(new Set(outcomes).size).toBeGreaterThan(2);
    // No ffmpeg outlives its killed parent.
    expect(await eventually(() => !spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.includes(video), 5_000)).toBe(true);
  });
});

/** Windows in a store, read the way a resuming run reads them: start one, take its plan, stop it. */
async function peekStored(cacheDirectory: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, analyzeArguments(cacheDirectory, join(folder.path, 'peek.json')), { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    let stored: number | undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      text += chunk;
      const plan = text.split('\n').find((line) => line.includes('"type":"plan"'));
      if (plan !== undefined && stored === undefined) {
        stored = (JSON.parse(plan) as { windowsStored: number }).windowsStored;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    // Only once it is gone: the next run must not find its lock held by a dying process.
    child.on('close', () => (stored === undefined ? reject(new Error(`no plan event: ${text}`)) : resolve(stored)));
  });
}
