/**
 * Class names for checkpoints that carry none (the official `.pyth` files) and user label files.
 * A label file has one class name a line; line n (from 0) is class n.
 */
import { join } from 'node:path';
import { ModelError } from '../shared/errors.js';
import { resourcesDirectory } from './resources.js';
import { readTextFile } from './weights/file-reading.js';

/** The released checkpoints' datasets, keyed by class count (each count is unique). */
export const BUILTIN_LABEL_LISTS: Readonly<Record<number, { dataset: string; file: string }>> = {
  400: { dataset: 'Kinetics-400', file: 'kinetics400.txt' },
  600: { dataset: 'Kinetics-600', file: 'kinetics600.txt' },
  174: { dataset: 'Something-Something-v2', file: 'something-something-v2.txt' },
};

/** Splits a label file's text into names; blank trailing lines are dropped, blank inner lines are errors. */
export function parseLabelText(text: string, origin: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const blank = lines.findIndex((line) => line.trim() === '');
  if (blank >= 0) throw new ModelError('bad-labels', `${origin}: line ${blank + 1} is empty; a label file has one class name a line`);
  if (lines.length === 0) throw new ModelError('bad-labels', `${origin}: no labels`);
  return lines.map((line) => line.trim());
}

export function readLabelFile(path: string): string[] {
  // HowTo100M's 1,059 names are ~30 KB; 16 MB is far beyond any real label file.
  return parseLabelText(readTextFile(path, 16 * 1024 * 1024), path);
}

/** The shipped list with exactly `count` classes, if any. */
export function builtinLabels(count: number): { dataset: string; labels: string[] } | undefined {
  const known = BUILTIN_LABEL_LISTS[count];
  if (known === undefined) return undefined;
  return { dataset: known.dataset, labels: readLabelFile(join(resourcesDirectory(), 'labels', known.file)) };
}
