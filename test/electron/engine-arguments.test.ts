import { describe, expect, it } from 'vitest';
import { engineArguments, parseEngineArguments } from '../../electron/engine-arguments.js';

describe('engine arguments', () => {
  it('round-trip the folders, also with spaces and "=" in them', () => {
    const folders = { dataFolder: '/home/me/.config/long view', cacheDirectory: '/data/a=b/longview' };
    expect(parseEngineArguments(['/usr/bin/node', '/app/engine-process.js', ...engineArguments(folders)])).toEqual(folders);
  });

  it.each([
    ['missing', []],
    ['relative', ['--longview-data-folder=data', '--longview-cache-directory=/cache']],
    ['twice', ['--longview-data-folder=/a', '--longview-data-folder=/b', '--longview-cache-directory=/cache']],
  ])('refuses %s folders', (_name, argv) => {
    expect(() => parseEngineArguments(argv)).toThrow(expect.objectContaining({ kind: 'internal', reason: 'engine-arguments' }));
  });
});
