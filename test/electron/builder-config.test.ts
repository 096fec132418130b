/**
 * electron-builder.json cannot be exercised here (packaging needs the Electron binary), so it is
 * checked for what would break a package: schema validity, every target, `files` that match the
 * build's output and contain the main entry, native and wasm files unpacked from the asar, the
 * fuses, the resources folder where main.ts tells the engine to look, and icons.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { PACKAGED_RESOURCES_FOLDER } from '../../electron/packaged-paths.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
type Json = Record<string, unknown>;
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8')) as Json;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Json;
const files = config.files as string[];
const asarUnpack = config.asarUnpack as string[];

/** electron-builder's glob subset used here: `**` any folders, `*` within one name. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const character = pattern[i]!;
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (character === '*') source += '[^/]*';
    else source += character.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const matchesAny = (patterns: readonly string[], path: string): boolean => patterns.some((pattern) => globToRegExp(pattern).test(path));
/** Included by `files`: matched by a positive pattern and by no later negation. */
const packaged = (path: string): boolean => matchesAny(files.filter((p) => !p.startsWith('!')), path) && !matchesAny(files.filter((p) => p.startsWith('!')).map((p) => p.slice(1)), path);

function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? listFiles(path) : [relative(root, path).split('\\').join('/')];
  });
}

/** What a build writes under dist/ and the source it comes from (tsconfig: rootDir '.', outDir 'dist'; vite: dist/renderer). */
const BUILD_SOURCES: Record<string, () => boolean> = {
  'dist/src': () => listFiles(join(root, 'src')).some((path) => path.endsWith('.ts')),
  'dist/electron': () => listFiles(join(root, 'electron')).some((path) => path.endsWith('main.ts')),
  'dist/renderer': () => existsSync(join(root, 'renderer', 'vite.config.ts')) && readFileSync(join(root, 'renderer', 'vite.config.ts'), 'utf8').includes("'../dist/renderer'"),
};

describe('electron-builder.json', () => {
  it('is valid for the installed electron-builder', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as Json;
    const validate = new Ajv.default({ strict: false, allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('names the app', () => {
    expect(config.appId).toBe('app.longview.desktop');
    expect(config.productName).toBe('Longview');
  });

  it('builds every target', () => {
    expect((config.linux as Json).target).toEqual(['AppImage', 'deb']);
    expect((config.win as Json).target).toEqual(['nsis']);
    expect((config.mac as Json).target).toEqual(['dmg']);
  });

  it('packages every file a build writes to the folders it lists, and package.json', () => {
    for (const pattern of files.filter((entry) => !entry.startsWith('!'))) {
      const folder = pattern.split(/[*]/)[0]!.replace(/\/$/, '');
      if (folder === 'package.json') {
        expect(existsSync(join(root, 'package.json'))).toBe(true);
        continue;
      }
      const built = listFiles(join(root, folder));
      if (built.length > 0) {
        expect(built.some(packaged), pattern).toBe(true);
      } else {
        // Not built yet in this checkout: the source that builds it must be there.
        expect(BUILD_SOURCES[folder]?.(), `${pattern}: nothing builds ${folder}`).toBe(true);
      }
    }
  });

  it('packages the main entry, the preload and the engine process, and no tests', () => {
    expect(packageJson.main).toBe('dist/electron/main.js');
    for (const path of ['dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/electron/engine-process.js', 'dist/src/service/engine-endpoint.js', 'dist/renderer/index.html']) {
      expect(packaged(path), path).toBe(true);
    }
    for (const path of ['dist/test/electron/builder-config.test.js', 'dist/electron/main.js.map', 'src/service/host.ts', 'electron/main.ts']) {
      expect(packaged(path), path).toBe(false);
    }
    // main.ts loads these by name next to itself.
    const main = readFileSync(join(root, 'electron', 'main.ts'), 'utf8');
    expect(main).toContain("'preload.cjs'");
    expect(main).toContain("'engine-process.js'");
    expect(existsSync(join(root, 'electron', 'preload.cts'))).toBe(true);
    expect(existsSync(join(root, 'electron', 'engine-process.ts'))).toBe(true);
  });

  it('unpacks ffmpeg, ffprobe, native modules and wasm from the asar', () => {
    for (const path of [
      'node_modules/ffmpeg-static/ffmpeg',
      'node_modules/ffmpeg-static/ffmpeg.exe',
      'node_modules/ffprobe-static/bin/linux/x64/ffprobe',
      'node_modules/ffprobe-static/bin/win32/x64/ffprobe.exe',
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
      'node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node',
    ]) {
      expect(matchesAny(asarUnpack, path), path).toBe(true);
    }
    const wasm = listFiles(join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm')).filter((path) => path.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
    for (const path of wasm) expect(matchesAny(asarUnpack, path), path).toBe(true);
    expect(matchesAny(asarUnpack, 'node_modules/@tensorflow/tfjs-core/dist/index.js')).toBe(false);
  });

  it('sets the fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('copies resources/ to where main.ts points LONGVIEW_RESOURCES', () => {
    const extra = config.extraResources as { from: string; to: string }[];
    expect(extra).toContainEqual(expect.objectContaining({ from: 'resources', to: PACKAGED_RESOURCES_FOLDER }));
    // What the engine looks for there (src/model/resources.ts).
    expect(existsSync(join(root, 'resources', 'labels'))).toBe(true);
  });

  it('references only icons that exist, for every platform or for none', () => {
    const platforms = ['linux', 'win', 'mac'].map((name) => config[name] as Json);
    const icons = [config.icon, ...platforms.map((platform) => platform.icon)].filter((icon) => icon !== undefined) as string[];
    for (const icon of icons) expect(existsSync(join(root, icon)), icon).toBe(true);
    const perPlatform = platforms.map((platform) => platform.icon !== undefined || config.icon !== undefined);
    expect(new Set(perPlatform).size).toBe(1);
  });

  it('keeps other platforms\u2019 ffprobe binaries out of each package', () => {
    expect((config.linux as Json).files).toEqual(expect.arrayContaining(['!node_modules/ffprobe-static/bin/darwin/**/*', '!node_modules/ffprobe-static/bin/win32/**/*']));
    expect((config.win as Json).files).toEqual(expect.arrayContaining(['!node_modules/ffprobe-static/bin/darwin/**/*', '!node_modules/ffprobe-static/bin/linux/**/*']));
    expect((config.mac as Json).files).toEqual(expect.arrayContaining(['!node_modules/ffprobe-static/bin/linux/**/*', '!node_modules/ffprobe-static/bin/win32/**/*']));
  });
});
