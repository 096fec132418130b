/**
 * The dependency rule, checked: `src/shared` (plain types) ← engine (`src/`) ← `electron/`, and
 * the renderer sees only `src/shared`. Every import in every source file is resolved and judged.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(folder: string): string[] {
  const absolute = join(root, folder);
  let names: string[];
  try {
    names = readdirSync(absolute);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(folder, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier in `import … from '…'`, `export … from '…'`, `import('…')`, `require('…')`. */
export function importSpecifiers(text: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
  return [...text.matchAll(pattern)].map((match) => match[2]!);
}

type Verdict = string | undefined;

/** Returns why an import is forbidden, or undefined when it is allowed. */
function judge(file: string, specifier: string): Verdict {
  const isRelative = specifier.startsWith('.');
  const target = isRelative ? relative(root, resolve(root, dirname(file), specifier)) : undefined;
  const isNodeBuiltin = specifier.startsWith('node:');
  const packageName = isRelative ? undefined : specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

  if (file.startsWith('src/shared/')) {
    if (target !== undefined && !target.startsWith('src/shared/')) return 'src/shared imports only src/shared';
    if (!isRelative) return 'src/shared holds plain types and imports no packages or node builtins';
    return undefined;
  }
  if (file.startsWith('src/')) {
    if (packageName === 'electron') return 'the engine never imports electron';
    if (target !== undefined && !target.startsWith('src/')) return 'the engine imports nothing outside src/';
    return undefined;
  }
  if (file.startsWith('renderer/')) {
    if (isNodeBuiltin) return 'the renderer has no node';
    if (packageName === 'electron') return 'the renderer never imports electron';
    if (target !== undefined && target.startsWith('src/') && !target.startsWith('src/shared/')) return 'the renderer imports only src/shared from the engine';
    if (target !== undefined && (target.startsWith('electron/') || target.startsWith('test/'))) return 'the renderer imports only src/shared and itself';
    return undefined;
  }
  if (file.startsWith('electron/')) {
    if (target !== undefined && target.startsWith('renderer/')) return 'electron/ does not import renderer code';
    return undefined;
  }
  return undefined;
}

describe('dependency rule', () => {
  it.each([
    ['src/shared/a.ts', '../model/x.js', 'src/shared imports only src/shared'],
    ['src/shared/a.ts', 'node:fs', 'src/shared holds plain types and imports no packages or node builtins'],
    ['src/shared/a.ts', './b.js', undefined],
    ['src/model/a.ts', 'electron', 'the engine never imports electron'],
    ['src/model/a.ts', '../../electron/main.js', 'the engine imports nothing outside src/'],
    ['src/model/a.ts', '../shared/errors.js', undefined],
    ['src/model/a.ts', '@tensorflow/tfjs', undefined],
    ['renderer/App.svelte', '../src/model/timesformer.js', 'the renderer imports only src/shared from the engine'],
    ['renderer/App.svelte', '../src/shared/api.js', undefined],
    ['renderer/App.svelte', 'node:fs', 'the renderer has no node'],
    ['renderer/App.svelte', 'electron', 'the renderer never imports electron'],
    ['electron/main.ts', '../src/model/timesformer.js', undefined],
    ['electron/main.ts', '../renderer/App.svelte', 'electron/ does not import renderer code'],
  ])('%s importing %s → %s', (file, specifier, expected) => {
    expect(judge(file, specifier)).toBe(expected);
  });

  it('finds every kind of import statement', () => {
    const text = `import a from './a.js';\nimport './side.js';\nexport { b } from "../b.js";\nconst c = await import('./c.js');\nconst d = require('d');\nimport type { E } from './e.js';`;
    expect(importSpecifiers(text)).toEqual(['./a.js', './side.js', '../b.js', './c.js', 'd', './e.js']);
  });

  it('holds for every source file in the tree', () => {
    const files = ['src', 'electron', 'renderer'].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(0);
    const violations = files.flatMap((file) =>
      importSpecifiers(readFileSync(join(root, file), 'utf8')).flatMap((specifier) => {
        const why = judge(file, specifier);
        return why === undefined ? [] : [`${file} imports ${specifier}: ${why}`];
      }),
    );
    expect(violations).toEqual([]);
  });
});
