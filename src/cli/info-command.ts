/** `longview info --model <folder|file>`: what a checkpoint is, without running it. */
import { describeModel, openModelCheckpoint } from '../model/load-model.js';
import type { Command } from './run.js';
import { modelFlag } from './model-flag.js';

export const infoCommand: Command = {
  summary: 'describe a checkpoint: attention type, sizes, parameters, labels, license',
  usage: [
    'Usage: longview info --model <folder|file> [--config <config.json>] [--labels <file>] [--all-labels] [--json]',
    '',
    '  --model       a Hugging Face model folder, a .safetensors / .bin / .pth / .pyth file, or a',
    '                downloaded Hub id (longview models pull <id>)',
    '  --config      config.json for a single weights file (official .pyth files are inferred without one)',
    '  --labels      class names, one a line (line n is class n)',
    '  --all-labels  list every class instead of the first few',
    '  --json        print the description as JSON',
    '',
  ].join('\n'),
  options: {
    model: { type: 'string' },
    config: { type: 'string' },
    labels: { type: 'string' },
    'all-labels': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values, { stdout }) {
    const checkpoint = openModelCheckpoint(modelFlag(values), {
      configPath: values.config as string | undefined,
      labelsPath: values.labels as string | undefined,
    });
    try {
      const description = describeModel(checkpoint);
      if (values.json === true) {
        stdout.write(`${JSON.stringify(description, null, 2)}\n`);
        return;
      }
      const shownLabels = values['all-labels'] === true ? description.labels : description.labels.slice(0, 10);
      const lines = [
        `model:          ${description.path}`,
        `format:         ${description.format} (${description.files.length} file${description.files.length === 1 ? '' : 's'})`,
        `attention:      ${description.config.attention_type}`,
        `frames:         ${description.config.num_frames} (window frame count may differ; embeddings interpolate)`,
        `image:          ${description.config.image_size} px, patch ${description.config.patch_size} px (${description.patchGrid}×${description.patchGrid} patches)`,
        `hidden size:    ${description.config.hidden_size}, ${description.config.num_hidden_layers} layers, ${description.config.num_attention_heads} heads, MLP ${description.config.intermediate_size}`,
        `parameters:     ${description.parameterCount.toLocaleString('en-US')} (${(description.parameterCount / 1e6).toFixed(1)} M)`,
        `labels:         ${description.labels.length}${description.labelSource === undefined ? '' : ` (${description.labelSource})`}`,
        ...shownLabels.map((label, index) => `  ${String(index).padStart(4)}  ${label}`),
        ...(shownLabels.length < description.labels.length ? [`  … ${description.labels.length - shownLabels.length} more (--all-labels)`] : []),
        `license:        ${description.license}`,
        ...description.assumptions.map((assumption) => `assumed:        ${assumption}`),
      ];
      stdout.write(`${lines.join('\n')}\n`);
    } finally {
      checkpoint.source.close();
    }
  },
};
