/** `longview eval` in-process through runCli, on documents built from plans, and on bad files. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { PlannedActivity } from '../../src/synthetic/plan.js';
import { truthDocument } from '../../src/synthetic/truth-document.js';

const folder = mkdtempSync(join(tmpdir(), 'longview-eval-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (text) => void (stdout += text) }, stderr: { write: (text) => void (stderr += text) } });
  return { code, stdout, stderr };
}

/** A Longview document of these segments over a 10 s, 10 fps video, written to `name`. */
function documentFile(name: string, plan: PlannedActivity[]): string {
  const document = truthDocument({ videoPath: 'clip.mp4', sizeBytes: 1000, seed: 1, width: 64, height: 64, fps: 10, frameCount: 100, plan, createdAt: new Date(0) });
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(document));
  return path;
}

function fileWith(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

const truth = documentFile('truth.json', [
  { activity: 'idle', startSeconds: 0, endSeconds: 4 },
  { activity: 'circling', startSeconds: 4, endSeconds: 8 },
  { activity: 'blinking', startSeconds: 8, endSeconds: 10 },
]);
// circling starts 1 s late: 90 % of frames agree; IoU idle 4/5, circling 3/4.
const late = documentFile('late.json', [
  { activity: 'idle', startSeconds: 0, endSeconds: 5 },
  { activity: 'circling', startSeconds: 5, endSeconds: 8 },
  { activity: 'blinking', startSeconds: 8, endSeconds: 10 },
]);
// blinking missed (a gap): 80 % agree; P 1, R 2/3 → F1 80; edit 1 − 1/3.
const missing = documentFile('missing.json', [
  { activity: 'idle', startSeconds: 0, endSeconds: 4 },
  { activity: 'circling', startSeconds: 4, endSeconds: 8 },
]);

describe('longview eval', () => {
  it('prints a table of the scores', async () => {
    const result = await run('eval', truth, truth);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^metric\s+value$/m);
    expect(result.stdout).toMatch(/^frame accuracy\s+100\.0 %$/m);
    expect(result.stdout).toMatch(/^edit score\s+100\.0$/m);
    expect(result.stdout).toMatch(/^F1@50\s+100\.0$/m);
    expect(result.stdout).toMatch(/^segments\s+3 predicted, 3 true$/m);
    expect(result.stdout).toMatch(/^frames\s+100 at 10 fps \(10\.0 s\)$/m);
  });

  it.each([
    ['a late boundary', late, { frameAccuracy: 90, edit: 100, f1: { at10: 100, at25: 100, at50: 100 }, predictedSegments: 3, trueSegments: 3 }],
    ['a missed segment', missing, { frameAccuracy: 80, edit: 100 * (2 / 3), f1: { at10: 80, at25: 80, at50: 80 }, predictedSegments: 2, trueSegments: 3 }],
  ])('prints JSON with --json (%s)', async (_name, prediction, expected) => {
    const result = await run('eval', prediction, truth, '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown> & { f1: Record<string, number> };
    expect(report.frameAccuracy).toBeCloseTo(expected.frameAccuracy, 9);
    expect(report.edit).toBeCloseTo(expected.edit, 9);
    for (const key of ['at10', 'at25', 'at50'] as const) expect(report.f1[key]).toBeCloseTo(expected.f1[key], 9);
    expect(report).toMatchObject({ predictedSegments: expected.predictedSegments, trueSegments: expected.trueSegments, fps: 10, frames: 100, groundTruth: truth, result: prediction });
  });

  it('lays the frames on the --fps grid when given', async () => {
    const result = await run('eval', late, truth, '--json', '--fps', '2');
    expect(JSON.parse(result.stdout)).toMatchObject({ fps: 2, frames: 20, frameAccuracy: 90 });
  });

  const directory = join(folder, 'a-folder.json');
  mkdirSync(directory);
  it.each([
    ['no files', [], 2, /eval needs two files/],
    ['one file', [truth], 2, /eval needs two files/],
    ['three files', [truth, truth, truth], 2, /unexpected argument/],
    ['a bad --fps', [truth, truth, '--fps', 'fast'], 2, /--fps must be a number/],
    ['a missing file', [join(folder, 'nowhere.json'), truth], 3, /Cannot read .*nowhere\.json/],
    ['a folder', [directory, truth], 3, /is not a regular file/],
    ['a file that is not JSON', [fileWith('video.json', '\u0000\u0001ftypisom'), truth], 3, /video\.json is not JSON/],
    ['JSON of another kind', [fileWith('other.json', '{"name": "package"}'), truth], 3, /other\.json is JSON but not a Longview analysis/],
    ['JSON that is a list', [fileWith('list.json', '[1, 2]'), truth], 3, /not a Longview analysis/],
    ['a newer version', [fileWith('v2.json', '{"format": "longview-analysis", "version": 2}'), truth], 3, /version 2; this Longview reads version 1/],
    [
      'a damaged segment',
      [fileWith('damaged.json', JSON.stringify({ format: 'longview-analysis', version: 1, video: { durationSeconds: 10, averageFrameRate: 10 }, model: { id: 'm' }, segments: [{ label: 'a', startSeconds: 5, endSeconds: 2 }] })), truth],
      3,
      /damaged Longview analysis: segment 0/,
    ],
    ['a document without a video', [fileWith('novideo.json', '{"format": "longview-analysis", "version": 1, "segments": []}'), truth], 3, /lacks a valid durationSeconds/],
  ])('refuses %s', async (_name, files, code, pattern) => {
    const result = await run('eval', ...files);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('is listed in the help', async () => {
    expect((await run('--help')).stdout).toMatch(/^ {2}eval {6}score an analysis/m);
    expect((await run('eval', '--help')).stdout).toMatch(/Usage: longview eval <result\.json> <ground-truth\.json>/);
  });
});
