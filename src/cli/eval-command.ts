/**
 * `longview eval <result.json> <ground-truth.json> [--fps N] [--json]`: how well an analysis
 * matches the truth, with the standard temporal action segmentation metrics (frame accuracy, edit
 * score, F1@10/25/50; see src/evaluation/metrics.ts). Both files are Longview JSON exports; the
 * frames are laid on the truth's grid: its video duration at --fps, by default its frame rate.
 */
import { evaluateFiles, type EvaluationReport } from '../evaluation/evaluate-results.js';
import { readResultFile } from '../evaluation/result-file.js';
import { UsageError } from '../shared/errors.js';
import type { Command } from './run.js';
import { formatTable } from './text-table.js';

export const evalCommand: Command = {
  summary: 'score an analysis against a ground truth: frame accuracy, edit score, F1@{10,25,50}',
  usage: [
    'Usage: longview eval <result.json> <ground-truth.json> [--fps <n>] [--json]',
    '',
    '  <result.json>        a Longview JSON export (longview analyze --out result.json)',
    '  <ground-truth.json>  the truth in the same format (e.g. resources/samples/demo-activities.truth.json)',
    '  --fps                frames per second of the comparison grid; default the truth\'s frame rate',
    '  --json               print the scores as JSON',
    '',
    'Frames no segment covers count as "background"; background segments are left out of the edit',
    'score and F1, as in the standard evaluation (MS-TCN).',
    '',
  ].join('\n'),
  options: {
    fps: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: ['result', 'ground-truth'],
  async run(values, { stdout }, positionals) {
    const [resultPath, truthPath] = positionals;
    if (resultPath === undefined || truthPath === undefined) throw new UsageError('eval needs two files: <result.json> <ground-truth.json>');
    const report = evaluateFiles(readResultFile(resultPath), readResultFile(truthPath), fpsFlag(values.fps));
    stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : reportTable(report));
  },
};

export function reportTable(report: EvaluationReport): string {
  const percent = (value: number): string => value.toFixed(1);
  return formatTable(['metric', 'value'], [
    ['frame accuracy', `${percent(report.frameAccuracy)} %`],
    ['edit score', percent(report.edit)],
    ['F1@10', percent(report.f1.at10)],
    ['F1@25', percent(report.f1.at25)],
    ['F1@50', percent(report.f1.at50)],
    ['segments', `${report.predictedSegments} predicted, ${report.trueSegments} true`],
    ['frames', `${report.frames} at ${report.fps} fps (${report.durationSeconds.toFixed(1)} s)`],
  ]);
}

function fpsFlag(text: string | boolean | undefined): number | undefined {
  if (text === undefined || typeof text === 'boolean') return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 1000) throw new UsageError(`--fps must be a number of frames per second in (0, 1000], not "${text}"`);
  return value;
}
