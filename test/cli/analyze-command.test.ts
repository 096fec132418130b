/**
 * `longview analyze` as users meet it: flags, exit codes, the table, exports in every format,
 * bad inputs classified within seconds, and Ctrl-C leaving a resumable store.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { makeVideo } from '../video/make-videos.js';
import { temporaryFolder } from '../video/test-files.js';
import { writeConcatDecoy, writeHlsDecoy } from '../video/make-hostile-files.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/longview.js', import.meta.url));
const TINY = fileURLToPath(new URL('../fixtures/timesformer/divided-tiny', import.meta.url));

let folder: { path: string; remove: () => void };
let video: string;
beforeAll(async () => {
  folder = temporaryFolder('longview-analyze-cli-');
  video = await makeVideo(folder.path, { name: 'clip', seconds: 3, fps: 30, width: 96, height: 64, codec: 'h264', container: 'mp4', audio: true });
});
afterAll(() => folder.remove());

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (text) => void (stdout += text) }, stderr: { write: (text) => void (stderr += text) } });
  return { code, stdout, stderr };
}

const FAST = ['--window-frames', '8', '--frame-stride', '3', '--window-stride-s', '0.4', '--enter', '0.2', '--exit', '0.1'];

function analyze(target: string, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('analyze', target, '--model', TINY, '--cache-dir', join(folder.path, 'cache'), ...FAST, ...flags);
}

describe('longview analyze: flags', () => {
  it.each([
    [['analyze', '--model', 'x'], /which video\?/],
    [['analyze', 'a.mp4', 'b.mp4', '--model', 'x'], /unexpected argument "b.mp4"/],
    [['analyze', 'a.mp4', '--model', 'x', '--scores', 'max'], /--scores must be/],
    [['analyze', 'a.mp4', '--model', 'x', '--enter', 'high'], /--enter must be a number/],
    [['analyze', 'a.mp4', '--model', 'x', '--enter', '0.1', '--exit', '0.5'], /exit/i],
    [['analyze', 'a.mp4', '--model', 'x', '--window-frames', '2.5'], /--window-frames must be a whole number/],
    [['analyze', 'a.mp4', '--model', 'x', '--format', 'docx'], /--format must be/],
    [['analyze', 'a.mp4', '--model', 'x', '--out', 'result.txt'], /cannot tell the format/],
    [['analyze', 'a.mp4', '--model', 'x', '--out', '/nonexistent-folder/r.json'], /--out: cannot write/],
    [['analyze', 'a.mp4', '--model', 'x', '--progress', 'fancy'], /--progress must be/],
    [['analyze', 'a.mp4', '--model', 'x', '--backend', 'tpu'], /--backend must be/],
  ])('%j → usage error', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--help lists every flag', async () => {
    const result = await run('analyze', '--help');
    expect(result.code).toBe(0);
    for (const flag of ['--out', '--format', '--window-frames', '--frame-stride', '--window-stride-s', '--backend', '--cache-dir', '--no-resume', '--progress', '--scores', '--min-duration']) {
      expect(result.stdout).toContain(flag);
    }
  });
});

describe('longview analyze: results', () => {
  it('prints the segments as a table without --out', async () => {
    const result = await analyze(video, '--progress', 'lines');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^start\s+end\s+label\s+conf\s+alternatives\n0:00:00\.0\s+0:00:03\.0\s+label_\d/);
    expect(result.stderr).toMatch(/^video: .*clip\.mp4 · 0:00:03 · 96×64 · 30\.00 fps · h264$/m);
    expect(result.stderr).toMatch(/^backend: wasm/m);
    expect(result.stderr).toMatch(/^done: 7 windows \(7 computed now, 0 from the store\)$/m);
  });

  it.each([
    ['result.json', /^\{\n {2}"format": "longview-analysis"/],
    ['result.csv', /^start_seconds|^"?start/],
    ['result.vtt', /^WEBVTT\n/],
    ['result.srt', /^1\n00:00:00,000 --> 00:00:03,000\n/],
    ['result.eaf', /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<ANNOTATION_DOCUMENT/],
  ])('writes %s, reusing the stored windows', async (name, start) => {
    const out = join(folder.path, name);
    const result = await analyze(video, '--out', out, '--progress', 'none');
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(start);
    expect(result.stderr).toMatch(new RegExp(`segment.* → ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('--format overrides the extension, and a second export keeps the first as .bak', async () => {
    const out = join(folder.path, 'subtitles.txt');
    expect((await analyze(video, '--out', out, '--format', 'vtt', '--progress', 'none')).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^WEBVTT/);
    expect((await analyze(video, '--out', out, '--format', 'srt', '--progress', 'none')).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^1\n/);
    expect(readFileSync(`${out}.bak`, 'utf8')).toMatch(/^WEBVTT/);
  });
});

describe('longview analyze: bad inputs', () => {
  beforeAll(() => {
    const inFolder = (name: string): string => join(folder.path, name);
    writeFileSync(inFolder('secret.txt'), 'private\n');
    writeFileSync(inFolder('text.mp4'), 'just some text\n');
    writeFileSync(inFolder('empty.mp4'), '');
    writeHlsDecoy(inFolder('playlist.mp4'), 'secret.txt');
    writeConcatDecoy(inFolder('list.mp4'), 'secret.txt');
    mkdirSync(inFolder('folder.mp4'));
    writeFileSync(inFolder('broken-model.safetensors'), 'not a model');
  });

  it.each([
    ['text.mp4', 3],
    ['empty.mp4', 3],
    ['playlist.mp4', 3],
    ['list.mp4', 3],
    ['folder.mp4', 3],
    ['missing.mp4', 3],
  ])('%s → exit %i with one line', async (name, code) => {
    const result = await analyze(join(folder.path, name));
    expect(result.code).toBe(code);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^longview: /);
    expect(result.stderr).not.toContain('private');
  });

  it('a broken model exits 4', async () => {
    const result = await run('analyze', video, '--model', join(folder.path, 'broken-model.safetensors'), '--cache-dir', join(folder.path, 'cache'));
    expect(result.code).toBe(4);
  });
});

describe('longview analyze: Ctrl-C', () => {
  it('stops with exit 130 and the same command resumes from the store', async () => {
    const cache = join(folder.path, 'cache-interrupt');
    const long = await makeVideo(folder.path, { name: 'long', seconds: 20, fps: 30, width: 96, height: 64, codec: 'h264', container: 'mp4' });
    const args = [CLI, 'analyze', long, '--model', TINY, '--cache-dir', cache, ...FAST, '--window-stride-s', '0.1', '--progress', 'json'];
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let text = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (!text.includes('"type":"window"') && (text + chunk).includes('"type":"window"')) child.kill('SIGINT');
        text += chunk;
      });
      child.on('close', (exitCode) => resolve({ code: exitCode, stderr: text }));
    });
    expect(code).toBe(130);
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/^longview: .*cancelled/);
    expect(existsSync(join(cache, 'analyses'))).toBe(true);
    const resumed = await run('analyze', long, '--model', TINY, '--cache-dir', cache, ...FAST, '--window-stride-s', '0.1', '--progress', 'lines');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/\d+ stored: resuming/);
    expect(resumed.stderr).toMatch(/done: \d+ windows \(\d+ computed now, [1-9]\d* from the store\)/);
  });
});
