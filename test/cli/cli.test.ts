/** The `longview` command line, run in-process through runCli and once as a real process. */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { openSafetensors, writeSafetensors } from '../../src/model/weights/safetensors.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'test/fixtures/timesformer');

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (text) => void (stdout += text) }, stderr: { write: (text) => void (stderr += text) } });
  return { code, stdout, stderr };
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('longview command line', () => {
  it.each([
    [['--help'], 0, /Usage: longview <command>/],
    [[], 0, /Commands:/],
    [['help', 'forward'], 0, /--pixels/],
    [['info', '--help'], 0, /--all-labels/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [['info'], 2, /--model is required/],
    [['info', '--model', 'x', '--bogus'], 2, /Unknown option '--bogus'/],
    [['forward', '--model', 'x', '--pixels', 'y', '--out', 'z', '--backend', 'gpu9000'], 2, /--backend must be one of/],
    [['info', '--model', '/nonexistent/model'], 4, /nonexistent/],
  ])('%j exits %i', async (argv, code, pattern) => {
    const result = await run(...argv);
    expect(result.code).toBe(code);
    expect(code === 0 ? result.stdout : result.stderr).toMatch(pattern);
    if (code !== 0) {
      expect(result.stderr).toMatch(/^longview: [^\n]+\n$/); // exactly one line
    }
  });

  it('info describes a fixture model', async () => {
    const result = await run('info', '--model', join(fixtures, 'divided-small'), '--json');
    expect(result.code).toBe(0);
    const description = JSON.parse(result.stdout);
    expect(description.config.attention_type).toBe('divided_space_time');
    expect(description.config.hidden_size).toBe(64);
    expect(description.config.num_hidden_layers).toBe(3);
    expect(description.labels).toHaveLength(10);
    expect(description.format).toBe('hf-folder');
    // Every float in model.safetensors is a parameter: (file size - header) / 4.
    const file = readFileSync(join(fixtures, 'divided-small/model.safetensors'));
    const headerLength = Number(file.readBigUInt64LE(0));
    expect(description.parameterCount).toBe((file.length - 8 - headerLength) / 4);
    expect(description.license).toMatch(/unknown/);
  });

  it('info names an official checkpoint\'s inferred settings', async () => {
    const result = await run('info', '--model', join(fixtures, 'divided-tiny/official.pyth'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/attention:\s+divided_space_time/);
    expect(result.stdout).toMatch(/assumed:/);
  });

  it('forward reproduces the reference logits and rollout', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-cli-'));
    const out = join(folder, 'out.safetensors');
    const fixture = join(fixtures, 'divided-tiny');
    const result = await run('forward', '--model', fixture, '--pixels', join(fixture, 'input.safetensors'), '--out', out, '--backend', 'cpu');
    expect(result.stderr).toMatch(/backend: cpu/);
    expect(result.code).toBe(0);
    const actual = openSafetensors(out);
    const expected = openSafetensors(join(fixture, 'expected.safetensors'));
    for (const [name, tolerance] of [['logits', 5e-5], ['rollout', 5e-5], ['rollout_raw', 5e-5], ['last_hidden_state', 1e-4]] as const) {
      const a = actual.entries.get(name)!;
      const e = expected.entries.get(name)!;
      expect(a.shape).toEqual(e.shape);
      expect(maxAbsDifference(a.read(), e.read())).toBeLessThan(tolerance);
    }
    actual.close();
    expected.close();
  });

  it('forward refuses pixels without pixel_values as bad input, leaving --out alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-cli-'));
    const pixels = join(folder, 'pixels.safetensors');
    writeSafetensors(pixels, [{ name: 'frames', shape: [2], data: new Float32Array(2) }]);
    const out = join(folder, 'out.safetensors');
    writeFileSync(out, 'previous result');
    const result = await run('forward', '--model', join(fixtures, 'divided-tiny'), '--pixels', pixels, '--out', out, '--backend', 'cpu');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no tensor named pixel_values/);
    expect(readFileSync(out, 'utf8')).toBe('previous result');
  });

  it.each([
    ['into a missing folder', (folder: string) => join(folder, 'missing', 'out.safetensors'), /cannot write in .*missing \(ENOENT\)/],
    ['onto a folder', (folder: string) => folder, /exists and is not a file/],
  ])('forward refuses to write %s before computing anything', async (_what, out, pattern) => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-cli-'));
    const fixture = join(fixtures, 'divided-tiny');
    const result = await run('forward', '--model', fixture, '--pixels', join(fixture, 'input.safetensors'), '--out', out(folder), '--backend', 'cpu');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/backend:/); // failed before starting a backend
  });

  it('forward refuses frames that are not a multiple of the patch size as bad input', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-cli-'));
    const pixels = join(folder, 'pixels.safetensors');
    writeSafetensors(pixels, [{ name: 'pixel_values', shape: [1, 4, 3, 36, 32], data: new Float32Array(4 * 3 * 36 * 32) }]);
    const result = await run('forward', '--model', join(fixtures, 'divided-tiny'), '--pixels', pixels, '--out', join(folder, 'o'), '--backend', 'cpu');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/multiple of the patch size 8/);
  });

  it('forward refuses a non-safetensors pixels file as bad input', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-cli-'));
    const pixels = join(folder, 'clip.mp4');
    writeFileSync(pixels, 'definitely not a tensor file');
    const result = await run('forward', '--model', join(fixtures, 'divided-tiny'), '--pixels', pixels, '--out', join(folder, 'o'), '--backend', 'cpu');
    expect(result.code).toBe(3);
    expect(existsSync(join(folder, 'o'))).toBe(false);
  });

  describe('hostile paths fail fast with a model error', () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-paths-'));
    const fifo = join(folder, 'model.fifo');
    execFileSync('mkfifo', [fifo]);
    // A model folder whose config.json is a FIFO: opening it must not wait for a writer.
    const trapped = join(folder, 'trapped');
    mkdirSync(trapped);
    copyFileSync(join(fixtures, 'divided-tiny/model.safetensors'), join(trapped, 'model.safetensors'));
    execFileSync('mkfifo', [join(trapped, 'config.json')]);

    it.each([
      ['a FIFO', fifo, /not a regular file/],
      ['a character device', '/dev/zero', /not a regular file/],
      ['a folder whose config.json is a FIFO', trapped, /not a regular file/],
      ['a folder without weights', folder, /has no model weights/],
      ['a text file', join(root, 'README.md'), /not a checkpoint/],
    ])('%s', async (_what, path, pattern) => {
      const result = await run('info', '--model', path);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(pattern);
    });

    it('a FIFO as --pixels is bad input', async () => {
      const result = await run('forward', '--model', join(fixtures, 'divided-tiny'), '--pixels', fifo, '--out', join(folder, 'o'), '--backend', 'cpu');
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/not a regular file/);
    });
  });

  it('the built executable runs with a shebang and exits with the documented codes', () => {
    const executable = join(root, 'dist/src/cli/longview.js');
    expect(existsSync(executable), 'run `npm run build` first (npm test does)').toBe(true);
    expect(readFileSync(executable, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    const help = spawnSync(process.execPath, [executable, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/forward/);
    const missing = spawnSync(process.execPath, [executable, 'info', '--model', join(root, 'package.json')], { encoding: 'utf8' });
    expect(missing.status).toBe(4);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
