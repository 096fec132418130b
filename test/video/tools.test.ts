/** Finding ffmpeg and ffprobe: every branch of the lookup, with injected packages and environment. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LongviewError } from '../../src/shared/errors.js';
import { describeTools, locateTools, outsideAsar, type FfmpegTools } from '../../src/video/tools.js';
import { makeScript, temporaryFolder } from './test-files.js';

const folder = temporaryFolder();
const paths = {
  packageFfmpeg: join(folder.path, 'package', 'ffmpeg'),
  packageFfprobe: join(folder.path, 'package', 'ffprobe'),
  variableFfmpeg: join(folder.path, 'variable', 'ffmpeg'),
  variableFfprobe: join(folder.path, 'variable', 'ffprobe'),
  firstBin: join(folder.path, 'first-bin'),
  secondBin: join(folder.path, 'second-bin'),
  notExecutable: join(folder.path, 'plain', 'ffmpeg'),
  windowsBin: join(folder.path, 'windows-bin'),
};

beforeAll(() => {
  for (const directory of ['package', 'variable', 'first-bin', 'second-bin', 'plain', 'windows-bin']) mkdirSync(join(folder.path, directory));
  for (const path of [paths.packageFfmpeg, paths.packageFfprobe, paths.variableFfmpeg, paths.variableFfprobe]) makeScript(path, 'exit 0');
  // first-bin has a non-executable ffmpeg and a folder named ffprobe: both must be passed over.
  writeFileSync(join(paths.firstBin, 'ffmpeg'), 'not a program');
  mkdirSync(join(paths.firstBin, 'ffprobe'));
  makeScript(join(paths.secondBin, 'ffmpeg'), 'exit 0');
  makeScript(join(paths.secondBin, 'ffprobe'), 'exit 0');
  writeFileSync(paths.notExecutable, 'not a program');
  makeScript(join(paths.windowsBin, 'ffmpeg.exe'), 'exit 0');
  makeScript(join(paths.windowsBin, 'ffprobe.exe'), 'exit 0');
});
afterAll(() => folder.remove());

const noPackages = (): undefined => undefined;
const bothPackages = (name: string): string | undefined => (name === 'ffmpeg-static' ? paths.packageFfmpeg : name === 'ffprobe-static' ? paths.packageFfprobe : undefined);
const searchPath = (): string => ['', 'relative/bin', paths.firstBin, paths.secondBin].join(delimiter);

describe('locateTools', () => {
  it.each([
    {
      case: 'installed packages come first',
      resolvePackage: bothPackages,
      env: () => ({ FFMPEG_PATH: paths.variableFfmpeg, FFPROBE_PATH: paths.variableFfprobe, PATH: searchPath() }),
      expected: () => ({ ffmpeg: { path: paths.packageFfmpeg, source: 'ffmpeg-static' }, ffprobe: { path: paths.packageFfprobe, source: 'ffprobe-static' } }),
    },
    {
      case: 'a package whose binary is missing is passed over for the variable',
      resolvePackage: (name: string) => (name === 'ffmpeg-static' ? join(folder.path, 'package', 'missing') : paths.packageFfprobe),
      env: () => ({ FFMPEG_PATH: paths.variableFfmpeg, PATH: searchPath() }),
      expected: () => ({ ffmpeg: { path: paths.variableFfmpeg, source: 'FFMPEG_PATH' }, ffprobe: { path: paths.packageFfprobe, source: 'ffprobe-static' } }),
    },
    {
      case: 'a package binary that is not executable is passed over',
      resolvePackage: (name: string) => (name === 'ffmpeg-static' ? paths.notExecutable : undefined),
      env: () => ({ FFPROBE_PATH: paths.variableFfprobe, PATH: searchPath() }),
      expected: () => ({ ffmpeg: { path: join(paths.secondBin, 'ffmpeg'), source: 'PATH' }, ffprobe: { path: paths.variableFfprobe, source: 'FFPROBE_PATH' } }),
    },
    {
      case: 'the variables come before PATH',
      resolvePackage: noPackages,
      env: () => ({ FFMPEG_PATH: paths.variableFfmpeg, FFPROBE_PATH: paths.variableFfprobe, PATH: searchPath() }),
      expected: () => ({ ffmpeg: { path: paths.variableFfmpeg, source: 'FFMPEG_PATH' }, ffprobe: { path: paths.variableFfprobe, source: 'FFPROBE_PATH' } }),
    },
    {
      case: 'PATH skips empty and relative entries, non-executables and folders',
      resolvePackage: noPackages,
      env: () => ({ FFMPEG_PATH: '', PATH: searchPath() }),
      expected: () => ({ ffmpeg: { path: join(paths.secondBin, 'ffmpeg'), source: 'PATH' }, ffprobe: { path: join(paths.secondBin, 'ffprobe'), source: 'PATH' } }),
    },
  ])('$case', ({ resolvePackage, env, expected }) => {
    expect(locateTools(env(), { resolvePackage })).toEqual(expected());
  });

  it('looks for ffmpeg.exe on Windows', () => {
    const tools = locateTools({ PATH: paths.windowsBin }, { resolvePackage: noPackages, platform: 'win32' });
    expect(tools.ffmpeg).toEqual({ path: join(paths.windowsBin, 'ffmpeg.exe'), source: 'PATH' });
    expect(tools.ffprobe).toEqual({ path: join(paths.windowsBin, 'ffprobe.exe'), source: 'PATH' });
  });

  it.each([
    { case: 'nothing anywhere', env: () => ({ PATH: join(folder.path, 'nowhere') }), mentions: /ffmpeg was not found: install FFmpeg.*FFMPEG_PATH/ },
    { case: 'no PATH at all', env: () => ({}), mentions: /ffmpeg was not found/ },
    { case: 'a variable naming a non-executable', env: () => ({ FFMPEG_PATH: paths.notExecutable, PATH: searchPath() }), mentions: /FFMPEG_PATH is set to .*not an executable/ },
    { case: 'a variable naming a relative path', env: () => ({ FFMPEG_PATH: 'ffmpeg', PATH: searchPath() }), mentions: /FFMPEG_PATH is set to "ffmpeg"/ },
    { case: 'ffprobe alone missing', env: () => ({ FFMPEG_PATH: paths.variableFfmpeg, PATH: '' }), mentions: /ffprobe was not found.*FFPROBE_PATH/ },
  ])('refuses with a backend error when $case', ({ env, mentions }) => {
    let caught: unknown;
    try {
      locateTools(env(), { resolvePackage: noPackages });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LongviewError);
    expect(caught).toMatchObject({ kind: 'backend', reason: 'no-ffmpeg' });
    expect((caught as Error).message).toMatch(mentions);
  });

  it('uses the real ffprobe-static package when it is installed', () => {
    const installed = existsSync(join(process.cwd(), 'node_modules', 'ffprobe-static', 'package.json'));
    const tools = locateTools({ PATH: paths.secondBin });
    expect(tools.ffprobe.source).toBe(installed ? 'ffprobe-static' : 'PATH');
    // ffmpeg-static's binary download fails offline, so it may be absent or hollow: PATH then.
    expect(['ffmpeg-static', 'PATH']).toContain(tools.ffmpeg.source);
  });
});

describe('describeTools', () => {
  it('names each tool, its path and where it was found', () => {
    const tools: FfmpegTools = {
      ffmpeg: { path: '/usr/bin/ffmpeg', source: 'PATH' },
      ffprobe: { path: '/app/node_modules/ffprobe-static/bin/linux/x64/ffprobe', source: 'ffprobe-static' },
    };
    expect(describeTools(tools)).toBe('ffmpeg /usr/bin/ffmpeg (PATH), ffprobe /app/node_modules/ffprobe-static/bin/linux/x64/ffprobe (ffprobe-static)');
  });
});

describe('outsideAsar', () => {
  it.each([
    ['/opt/Longview/resources/app.asar/node_modules/ffmpeg-static/ffmpeg', '/opt/Longview/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg'],
    ['C:\\Longview\\resources\\app.asar\\node_modules\\ffprobe-static\\bin\\win32\\x64\\ffprobe.exe', 'C:\\Longview\\resources\\app.asar.unpacked\\node_modules\\ffprobe-static\\bin\\win32\\x64\\ffprobe.exe'],
    ['/home/me/longview/node_modules/ffmpeg-static/ffmpeg', '/home/me/longview/node_modules/ffmpeg-static/ffmpeg'],
    ['/opt/my.app.asar.d/ffmpeg', '/opt/my.app.asar.d/ffmpeg'],
  ])('%s → %s', (path, expected) => {
    expect(outsideAsar(path)).toBe(expected);
  });
});
