/**
 * Finds the ffmpeg and ffprobe executables and says where each came from.
 *
 * Order, per tool: the npm package that bundles it (`ffmpeg-static` / `ffprobe-static`, when
 * installed and its binary is really there), then the `FFMPEG_PATH` / `FFPROBE_PATH` variable,
 * then the directories on `PATH`. The package lookup is injectable so every branch can be tested
 * without installing anything. Nothing here runs the tools; a file counts when it is a regular
 * file we may execute.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, isAbsolute, join } from 'node:path';
import { LongviewError } from '../shared/errors.js';

export interface ToolLocation {
  path: string;
  source: 'ffmpeg-static' | 'ffprobe-static' | 'FFMPEG_PATH' | 'FFPROBE_PATH' | 'PATH';
}

export interface FfmpegTools {
  ffmpeg: ToolLocation;
  ffprobe: ToolLocation;
}

export interface LocateOptions {
  /** Package name → the binary path it exports, or undefined when it is not installed. */
  resolvePackage?: (name: string) => string | undefined;
  /** Defaults to process.platform; 'win32' looks for `ffmpeg.exe`. */
  platform?: NodeJS.Platform;
}

interface ToolSpec {
  name: 'ffmpeg' | 'ffprobe';
  packageName: 'ffmpeg-static' | 'ffprobe-static';
  variable: 'FFMPEG_PATH' | 'FFPROBE_PATH';
}

const FFMPEG: ToolSpec = { name: 'ffmpeg', packageName: 'ffmpeg-static', variable: 'FFMPEG_PATH' };
const FFPROBE: ToolSpec = { name: 'ffprobe', packageName: 'ffprobe-static', variable: 'FFPROBE_PATH' };

export function locateTools(env: NodeJS.ProcessEnv = process.env, options: LocateOptions = {}): FfmpegTools {
  const resolvePackage = options.resolvePackage ?? resolveInstalledPackage;
  const platform = options.platform ?? process.platform;
  return {
    ffmpeg: locateTool(FFMPEG, env, resolvePackage, platform),
    ffprobe: locateTool(FFPROBE, env, resolvePackage, platform),
  };
}

/** E.g. "ffmpeg /usr/bin/ffmpeg (PATH), ffprobe /app/node_modules/ffprobe-static/bin/linux/x64/ffprobe (ffprobe-static)". */
export function describeTools(tools: FfmpegTools): string {
  return `ffmpeg ${tools.ffmpeg.path} (${tools.ffmpeg.source}), ffprobe ${tools.ffprobe.path} (${tools.ffprobe.source})`;
}

function locateTool(
  spec: ToolSpec,
  env: NodeJS.ProcessEnv,
  resolvePackage: (name: string) => string | undefined,
  platform: NodeJS.Platform,
): ToolLocation {
  const fromPackage = resolvePackage(spec.packageName);
  if (fromPackage !== undefined && isExecutableFile(fromPackage)) return { path: fromPackage, source: spec.packageName };

  const fromVariable = env[spec.variable];
  if (fromVariable !== undefined && fromVariable !== '') {
    // The user named this file on purpose: a wrong value is reported, not silently skipped.
    if (!isAbsolute(fromVariable) || !isExecutableFile(fromVariable)) {
      throw new LongviewError(
        'backend',
        'no-ffmpeg',
        `${spec.variable} is set to "${fromVariable}", which is not an executable file given by its absolute path; point it at the ${spec.name} executable or unset it.`,
      );
    }
    return { path: fromVariable, source: spec.variable };
  }

  const fromSearchPath = searchPath(executableName(spec.name, platform), env.PATH ?? env.Path ?? '');
  if (fromSearchPath !== undefined) return { path: fromSearchPath, source: 'PATH' };

  throw new LongviewError(
    'backend',
    'no-ffmpeg',
    `${spec.name} was not found: install FFmpeg (e.g. "sudo apt install ffmpeg", "brew install ffmpeg" or a build from ffmpeg.org) so ${spec.name} is on PATH, or set ${spec.variable} to the ${spec.name} executable.`,
  );
}

function executableName(name: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${name}.exe` : name;
}

/**
 * The first directory on the search path holding an executable `name`. Empty and relative entries
 * are skipped: they would mean "the current directory", and a video folder is no place to pick
 * up programs from.
 */
function searchPath(name: string, pathVariable: string): string | undefined {
  for (const directory of pathVariable.split(delimiter)) {
    if (directory === '' || !isAbsolute(directory)) continue;
    const candidate = join(directory, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The binary path an installed package exports: ffmpeg-static exports the path itself (or null
 * when its download failed), ffprobe-static exports `{ path }`. Not installed → undefined.
 */
function resolveInstalledPackage(name: string): string | undefined {
  let exported: unknown;
  try {
    exported = createRequire(import.meta.url)(name);
  } catch {
    return undefined;
  }
  if (typeof exported === 'string') return outsideAsar(exported);
  if (typeof exported === 'object' && exported !== null && 'path' in exported && typeof exported.path === 'string') return outsideAsar(exported.path);
  return undefined;
}

/**
 * In a packaged app the package's module sits inside `app.asar`, a file no process can be started
 * from; electron-builder unpacks the binaries (electron-builder.json `asarUnpack`) beside it.
 */
export function outsideAsar(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
