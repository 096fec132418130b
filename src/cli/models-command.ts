/**
 * `longview models pull|list|add|catalog`: from "installed" to "analyzing with a real model".
 * Downloads go into the standard Hugging Face cache, so models fetched by Python tools are found
 * here and ours are found by them.
 */
import os from 'node:os';
import type { InputPreset, LocalModel } from '../shared/models.js';
import { UsageError } from '../shared/errors.js';
import { defaultCacheDirectory } from '../analysis/store/default-location.js';
import { findCatalogEntry, loadCatalog, withSafetensorsRevision } from '../models/catalog.js';
import { hubSettings, type HubSettings } from '../models/hub/hub-settings.js';
import { pullModel } from '../models/hub/pull.js';
import { listLocalModels } from '../models/local-models.js';
import { addModel } from '../models/model-registry.js';
import { LINE_INTERVAL, progressStyleFlag, REDRAW_INTERVAL, type ProgressStyle } from './progress-printer.js';
import { formatBytes, PullProgress } from './pull-progress.js';
import { formatTable, printable } from './text-table.js';
import type { Command, CommandContext } from './run.js';

const ACTIONS = ['pull', 'list', 'add', 'catalog'] as const;

export const modelsCommand: Command = {
  summary: 'download models from the Hugging Face Hub, list and add local ones',
  usage: [
    'Usage: longview models pull <org/name>[@revision] [--progress bar|lines|json|none]',
    '       longview models list [--json]',
    '       longview models add <folder|file>',
    '       longview models catalog [--json]',
    '',
    '  pull     download into the Hugging Face cache (resumable, SHA-256 verified); safetensors',
    '           are preferred, also from the refs/pr/N revision where the catalog knows one',
    '  list     models on this machine: the HF cache, Longview\'s models folder, added paths',
    '  add      register a model folder or file so it is listed',
    '  catalog  the released TimeSformer checkpoints Longview knows, with presets and licenses',
    '',
    'Environment: HF_ENDPOINT, HF_HOME / HF_HUB_CACHE, HF_TOKEN, HF_HUB_OFFLINE=1, HTTPS_PROXY /',
    'HTTP_PROXY / NO_PROXY. Ctrl-C stops a download; pulling again resumes it.',
    '',
  ].join('\n'),
  positionals: ['action', 'target'],
  options: {
    json: { type: 'boolean' },
    progress: { type: 'string' },
  },
  async run(values, context, positionals) {
    const [action, target] = positionals;
    if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(`models: say what to do: ${ACTIONS.join(', ')}${action === undefined ? '' : ` (got "${action}")`}`);
    }
    const dataFolder = defaultCacheDirectory(process.env, process.platform, os.homedir());
    const settings = hubSettings(process.env, os.homedir());
    switch (action) {
      case 'pull': {
        if (target === undefined) throw new UsageError('models pull: which model? e.g. longview models pull facebook/timesformer-base-finetuned-k400');
        await pull(target, progressStyleFlag(values.progress as string | undefined, context.interactive), context, settings);
        return;
      }
      case 'list': {
        const models = listLocalModels({ hubCacheDirectory: settings.cacheDirectory, dataFolder });
        context.stdout.write(values.json === true ? `${JSON.stringify(models, null, 2)}\n` : modelTable(models));
        return;
      }
      case 'add': {
        if (target === undefined) throw new UsageError('models add: which folder or file?');
        const { model, added } = addModel(target, dataFolder);
        context.stdout.write(added ? `added ${model.path}\n` : `${model.path} was already added\n`);
        return;
      }
      case 'catalog': {
        const catalog = loadCatalog();
        if (values.json === true) {
          context.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
          return;
        }
        const rows = catalog.map((entry) => [
          entry.id,
          entry.source === 'hub' ? 'pull' : 'bring the file',
          presetText(entry.preset),
          `${entry.classes} ${entry.labelSet}`,
          entry.downloadBytes === null ? '?' : formatBytes(entry.downloadBytes),
          entry.license,
        ]);
        context.stdout.write(formatTable(['model', 'get it', 'preset', 'classes', 'size', 'license'], rows));
        return;
      }
    }
  },
};

async function pull(target: string, style: ProgressStyle, context: CommandContext, settings: HubSettings): Promise<void> {
  // The catalog knows where safetensors live when `main` has only a pickle (e.g. refs/pr/5).
  const entry = target.includes('@') ? undefined : findCatalogEntry(target);
  const reference = withSafetensorsRevision(target);
  if (reference !== target) context.stderr.write(`using ${reference}: that revision has safetensors (no pickle to read)\n`);
  if (entry !== undefined) context.stderr.write(`license: ${entry.license}\n`);
  const progress = new PullProgress();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let barShown = false;
  const result = await pullModel(reference, {
    settings,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    onEvent: (event) => {
      const now = performance.now();
      progress.update(event, now);
      if (style === 'none') return;
      if (style === 'json') {
        context.stderr.write(`${JSON.stringify(event)}\n`);
        return;
      }
      const clear = (): void => {
        if (barShown) context.stderr.write('\r\x1b[K');
        barShown = false;
      };
      if (event.type === 'resolved') {
        context.stderr.write(`${event.repository}@${event.revision} (commit ${event.commit.slice(0, 12)}): ${event.files.length} files, ${formatBytes(event.totalBytes)}\n`);
      } else if (event.type === 'file') {
        clear();
        const state = event.cached ? 'already downloaded' : event.resumedFromBytes > 0 ? `resuming at ${formatBytes(event.resumedFromBytes)}` : 'downloading';
        context.stderr.write(`${printable(event.name)}: ${formatBytes(event.sizeBytes)}, ${state}\n`);
      } else if (event.type === 'progress') {
        const interval = style === 'bar' ? REDRAW_INTERVAL : LINE_INTERVAL;
        if (now - lastDraw < interval) return;
        lastDraw = now;
        if (style === 'bar') {
          barShown = true;
          context.stderr.write(`\r${progress.line(now)}\x1b[K`);
        } else context.stderr.write(`${progress.line(now, 0)}\n`);
      } else if (event.type === 'verified') {
        clear();
        if (event.sha256 !== null) context.stderr.write(`${printable(event.name)}: SHA-256 verified\n`);
      } else {
        clear();
      }
    },
  });
  for (const note of result.notes) context.stderr.write(`note: ${note}\n`);
  if (result.source === 'cache') context.stderr.write('used the copy already in the Hugging Face cache\n');
  context.stdout.write(`${result.path}\n`);
  context.stderr.write(`ready: longview analyze <video> --model ${target.split('@')[0]}\n`);
}

function modelTable(models: readonly LocalModel[]): string {
  if (models.length === 0) return 'No models yet. Download one with `longview models pull facebook/timesformer-base-finetuned-k400`, or register yours with `longview models add <path>`.\n';
  const rows = models.map((model) => [
    model.reference,
    model.location,
    formatBytes(model.sizeBytes),
    model.preset === null ? '?' : presetText(model.preset),
    model.classes === null ? '?' : String(model.classes),
    model.problem === null ? model.license : `PROBLEM: ${model.problem}`,
  ]);
  return formatTable(['model', 'where', 'size', 'preset', 'classes', 'license'], rows);
}

/** "8×32 @224px": frames per clip × stride at 30 fps, then the square input side. */
function presetText(preset: InputPreset): string {
  return `${preset.frames}×${preset.frameStride} @${preset.imageSize}px`;
}
