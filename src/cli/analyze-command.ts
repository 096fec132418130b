/**
 * `longview analyze <video> [--model <folder|file>]`: the whole pipeline from the terminal. Shows
 * progress (a bar on a terminal, one line per window in a log), stops cleanly on Ctrl-C with every
 * finished window saved, and writes the segments as a table or an export file.
 */
import os from 'node:os';
import { resolve } from 'node:path';
import type { SegmentationParams } from '../shared/analysis.js';
import { UsageError } from '../shared/errors.js';
import { isBackendName } from '../model/backend.js';
import { analyzeVideo } from '../analysis/analyze.js';
import { buildAnalysisResult } from '../analysis/result.js';
import { DEFAULT_SEGMENTATION, validateSegmentation } from '../analysis/segments.js';
import { defaultCacheDirectory } from '../analysis/store/default-location.js';
import { formatFromPath, isExportFormat, serialize, type ExportFormat } from '../export/formats.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { checkWritable } from './output-path.js';
import { ProgressPrinter, progressStyleFlag } from './progress-printer.js';
import { segmentTable } from './segment-table.js';
import type { Command } from './run.js';
import { modelFlag } from './model-flag.js';

export const analyzeCommand: Command = {
  summary: 'analyze a video: sliding windows, resumable results, segments, exports',
  usage: [
    'Usage: longview analyze <video> [--model <folder|file>] [--out <file>] [--format json|csv|vtt|srt|eaf]',
    '                        [--window-frames N] [--frame-stride K] [--window-stride-s S]',
    '                        [--backend tensorflow-gpu|tensorflow|wasm|cpu] [--cache-dir D] [--no-resume]',
    '                        [--scores mean-softmax|sum-logits] [--smoothing S] [--enter P] [--exit P]',
    '                        [--min-duration S] [--merge-gap S] [--config <config.json>] [--labels <file>]',
    '',
    '  --model            a Hugging Face model folder, a .safetensors / .bin / .pth / .pyth file, or',
    '                     a Hub id already downloaded (longview models pull <id>); default: the bundled',
    '                     demo model (resources/models/longview-demo: synthetic activities only)',
    '  --out              write the result there (atomically; the previous file is kept as .bak);',
    '                     without it the segments are printed as a table',
    '  --format           export format; default from the --out extension (.json .csv .vtt .srt .eaf)',
    '  --window-frames    frames per window (default: the model\'s num_frames)',
    '  --frame-stride     take every K-th frame at 30 fps (default: the preset, e.g. 4 for 96-frame models,',
    '                     or the stride the model declares it was trained with, 6 for the demo model)',
    '  --window-stride-s  seconds between window starts (default: half a window)',
    '  --cache-dir        where finished windows are kept for resuming',
    `                     (default: ${defaultCacheDirectory(process.env, process.platform, os.homedir())})`,
    '  --no-resume        recompute every window instead of reusing stored ones',
    '  --progress         bar (default on a terminal), lines (default otherwise: a line every few',
    '                     seconds), json (every event as a JSON line on stderr), or none',
    `  --scores           how overlapping windows combine (default ${DEFAULT_SEGMENTATION.scores})`,
    `  --smoothing        moving-average width in seconds (default ${DEFAULT_SEGMENTATION.smoothingSeconds})`,
    `  --enter, --exit    hysteresis thresholds on class probability (default ${DEFAULT_SEGMENTATION.enterThreshold}, ${DEFAULT_SEGMENTATION.exitThreshold})`,
    `  --min-duration     shortest segment in seconds (default ${DEFAULT_SEGMENTATION.minDurationSeconds})`,
    `  --merge-gap        join same-label segments this close, seconds (default ${DEFAULT_SEGMENTATION.mergeGapSeconds})`,
    '',
    'Re-running with other segmentation flags reuses the stored windows: only the model-facing',
    'flags (--model, --window-frames, --frame-stride, --window-stride-s) cause recomputation.',
    'Ctrl-C stops cleanly (exit 130); run the same command again to continue.',
    '',
  ].join('\n'),
  positionals: ['video'],
  options: {
    model: { type: 'string' },
    config: { type: 'string' },
    labels: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    'window-frames': { type: 'string' },
    'frame-stride': { type: 'string' },
    'window-stride-s': { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    'cache-dir': { type: 'string' },
    'no-resume': { type: 'boolean' },
    progress: { type: 'string' },
    scores: { type: 'string' },
    smoothing: { type: 'string' },
    enter: { type: 'string' },
    exit: { type: 'string' },
    'min-duration': { type: 'string' },
    'merge-gap': { type: 'string' },
  },
  async run(values, context, positionals) {
    const videoPath = positionals[0];
    if (videoPath === undefined) throw new UsageError('analyze: which video? (longview analyze <video> [--model <folder|file>])');
    const modelPath = modelFlag(values, { defaultToDemo: true });
    const backend = values.backend as string | undefined;
    if (backend !== undefined && !isBackendName(backend)) throw new UsageError(`--backend must be one of tensorflow-gpu, tensorflow, wasm, cpu (got "${backend}")`);
    const segmentation = segmentationFlags(values);
    const out = values.out as string | undefined;
    const format = exportFormat(values.format as string | undefined, out);
    if (out !== undefined) checkWritable(out);

    const progress = new ProgressPrinter(context.stderr, progressStyleFlag(values.progress as string | undefined, context.interactive));
    const run = await analyzeVideo(
      {
        videoPath,
        modelPath,
        configPath: values.config as string | undefined,
        labelsPath: values.labels as string | undefined,
        windowFrames: integerFlag(values, 'window-frames'),
        frameStride: integerFlag(values, 'frame-stride'),
        windowStrideSeconds: numberFlag(values, 'window-stride-s'),
        backend,
        threads: integerFlag(values, 'threads'),
        cacheDirectory: (values['cache-dir'] as string | undefined) ?? defaultCacheDirectory(process.env, process.platform, os.homedir()),
        resume: values['no-resume'] !== true,
      },
      { ...(context.signal === undefined ? {} : { signal: context.signal }), onEvent: (event) => progress.handle(event) },
    );
    progress.close();

    const result = buildAnalysisResult(run, segmentation);
    if (run.partialReason !== null) context.stderr.write(`warning: partial result: ${run.partialReason}\n`);
    if (out === undefined) {
      context.stdout.write(segmentTable(result.segments));
      return;
    }
    writeFileAtomic(resolve(out), serialize(result.document, format));
    context.stderr.write(`${result.segments.length} segment${result.segments.length === 1 ? '' : 's'} → ${out} (${format})\n`);
  },
};

function segmentationFlags(values: Record<string, string | boolean | undefined>): SegmentationParams {
  const scores = (values.scores as string | undefined) ?? DEFAULT_SEGMENTATION.scores;
  if (scores !== 'mean-softmax' && scores !== 'sum-logits') throw new UsageError(`--scores must be mean-softmax or sum-logits (got "${scores}")`);
  return validateSegmentation({
    scores,
    smoothingSeconds: numberFlag(values, 'smoothing') ?? DEFAULT_SEGMENTATION.smoothingSeconds,
    enterThreshold: numberFlag(values, 'enter') ?? DEFAULT_SEGMENTATION.enterThreshold,
    exitThreshold: numberFlag(values, 'exit') ?? DEFAULT_SEGMENTATION.exitThreshold,
    minDurationSeconds: numberFlag(values, 'min-duration') ?? DEFAULT_SEGMENTATION.minDurationSeconds,
    mergeGapSeconds: numberFlag(values, 'merge-gap') ?? DEFAULT_SEGMENTATION.mergeGapSeconds,
  });
}

function exportFormat(flag: string | undefined, out: string | undefined): ExportFormat {
  if (flag !== undefined) {
    if (!isExportFormat(flag)) throw new UsageError(`--format must be json, csv, vtt, srt or eaf (got "${flag}")`);
    return flag;
  }
  if (out === undefined) return 'json';
  const fromPath = formatFromPath(out);
  if (fromPath === undefined) throw new UsageError(`--out ${out}: cannot tell the format from the extension; add --format json|csv|vtt|srt|eaf`);
  return fromPath;
}

function numberFlag(values: Record<string, string | boolean | undefined>, flag: string): number | undefined {
  const text = values[flag];
  if (typeof text !== 'string') return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number (got "${text}")`);
  return value;
}

function integerFlag(values: Record<string, string | boolean | undefined>, flag: string): number | undefined {
  const value = numberFlag(values, flag);
  if (value !== undefined && !Number.isSafeInteger(value)) throw new UsageError(`--${flag} must be a whole number (got "${String(values[flag])}")`);
  return value;
}
