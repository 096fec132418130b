/**
 * The demo model's README.md (model card). train-demo.ts writes it with the recipe and the
 * measured training time; evaluate-demo.ts replaces the block between the metric markers with
 * the numbers it measured. Pure text building.
 */
import type { TrainingRecipe } from './demo-recipe.js';

export const METRICS_START = '<!-- metrics:start -->';
export const METRICS_END = '<!-- metrics:end -->';

export interface CardFacts {
  recipe: TrainingRecipe;
  parameterCount: number;
  architecture: Record<string, unknown>;
  frameStride: number;
  trainingClips: number;
  classCounts: Record<string, number>;
  trainingSeconds: number;
  /** Of which preparing the data (generating or reusing videos, decoding). */
  dataSeconds: number;
  /** `uptime` load averages while training, for judging the time. */
  load: string;
  backend: string;
  finalTrainingAccuracy: number;
}

export function modelCard(facts: CardFacts): string {
  const { recipe } = facts;
  const seeds = recipe.videoSeeds;
  return `---
license: mit
tags:
  - video-classification
  - timesformer
  - synthetic
---

# longview-demo: a toy TimeSformer for Longview's synthetic activities

**What it is:** a small divided space-time TimeSformer trained from scratch on Longview's own
synthetic videos (a warm-coloured ring on a textured background with drifting distractors).
It recognises the seven activities of that generator and nothing else. It is **not** a general
activity model: on real footage its output is meaningless. It exists so that Longview works
out of the box with no download, and so the whole pipeline (decode → windows → model → rollout
heatmap → segments) can be checked against a known ground truth.

Labels (class index order): \`idle\`, \`moving left\`, \`moving right\`, \`circling\`, \`growing\`, \`shrinking\`, \`blinking\`.

## Architecture

- Hugging Face \`TimesformerForVideoClassification\` names and layout (\`config.json\` + \`model.safetensors\`, float32).
- ${Object.entries(facts.architecture).map(([key, value]) => `${key} ${String(value)}`).join(', ')}.
- ${facts.parameterCount.toLocaleString('en-US')} parameters.
- Input: 16 frames of 64 × 64 px, taken every ${facts.frameStride}th frame at 30 fps (a 3.2 s window; declared in
  \`config.json\` as \`longview_sampling\`, which \`longview analyze\` uses unless told otherwise).
  Pixels normalised as the released TimeSformers: /255, mean 0.45, std 0.225.

## Training recipe (\`npm run train:demo\`)

- Data: ${seeds.length} generated videos (seeds ${seeds[0]}–${seeds[seeds.length - 1]}), ${recipe.videoSeconds} s each, 288 × 288, 30 fps,
  H.264, with activity segments of ${recipe.planMinSeconds}–${recipe.planMaxSeconds} s; decoded through Longview's own
  ffmpeg path (\`decodeFrames\`, same resize and sampling as analysis). \`eval:demo\` uses seed 9001 and the bundled
  sample is seed 20261125: neither is seen in training.
- Clips: every 16-frame position whose span is ≥ 75 % one activity (${facts.trainingClips.toLocaleString('en-US')} clips;
  per class ${Object.entries(facts.classCounts).map(([label, count]) => `${label} ${count}`).join(', ')}).
  Augmentation: random left–right flip (which swaps \`moving left\` and \`moving right\`)${timeReversalText(recipe.timeReversal)}.
- Objective: cross-entropy, plus an auxiliary heatmap loss (weight ${recipe.heatmapLossWeight}): for every frame where
  the actor is visible, −log of the share of the attention rollout's mass on the actor, each patch weighted by how
  much of it the actor's box covers (boxes from the generator; the same measure \`eval:demo\` reports). It is there so that the heatmap the app
  shows points at the actor; a model trained without it was not measured. It uses the generator's boxes as
  supervision, which a real dataset would not have: say so when you quote the heatmap number.${recipe.tokenLossWeight > 0 ? `
  And token labelling (weight ${recipe.tokenLossWeight}): every patch token the actor's box covers is scored by the model's own final
  LayerNorm and classifier against the clip's label (cross-entropy weighted by the covered share; no extra weights),
  so each actor token must carry the class, not only the CLS row. The same boxes decide which tokens count.` : ''}
- Optimiser: Adam (β 0.9 / 0.999), peak learning rate ${recipe.learningRate}, ${recipe.warmupSteps} warm-up steps then cosine
  to 5 %, batch ${recipe.batchSize} clips, ${recipe.steps} steps, seed ${recipe.seed} (weights: HF init, truncated normal
  std 0.02, except the position and time tables, which start as 2-D / 1-D sine–cosine codes of amplitude 0.5 and are
  trained like the rest${recipe.temporalShiftHeads ? `; and two heads of the first layer's temporal attention, whose queries and
  keys start as rotations of the time codes so that they look one frame ahead and one frame back (src/training/
  temporal-shift-init.ts: uniform attention left the left/right and growing/shrinking pairs on a saddle)` : ''}); all randomness seeded, so a rerun on the same backend gives the same weights.
- Backend: ${facts.backend}. The run took ${(facts.trainingSeconds / 60).toFixed(1)} min on this machine (2 CPU cores shared
  with other work; load averages ${facts.load} at the end), of which ${facts.dataSeconds.toFixed(0)} s preparing data (videos
  are generated once into a cache folder, then decoded).
  Mean accuracy over the last 20 training batches ${(facts.finalTrainingAccuracy * 100).toFixed(0)} %.

## Evaluation (\`npm run eval:demo\`)

${METRICS_START}
Not measured yet: run \`npm run eval:demo\`.
${METRICS_END}

## Limitations

A toy: seven synthetic activities of one ring on a textured background, 64 × 64 px, 3.2 s windows.
Longview's targets for it are F1@50 ≥ 0.85, frame accuracy ≥ 90 % and heatmap mass in the actor's
box ≥ 60 % on the held-out video; compare them with the table above. Where the confusion table
mixes up a pair that differs only in direction (moving left / right, growing / shrinking), the
model has not learned the order of frames within its 30-minute training budget on 2 CPU cores.

## License

MIT, like Longview: these are our own weights, trained on our own generated data.
`;
}

/** The card with its metrics block replaced by `metrics` (markdown). */
export function withMetrics(card: string, metrics: string): string {
  const start = card.indexOf(METRICS_START);
  const end = card.indexOf(METRICS_END);
  if (start < 0 || end < start) throw new Error('the model card has no metrics block to fill');
  return `${card.slice(0, start + METRICS_START.length)}\n${metrics.trim()}\n${card.slice(end)}`;
}

function timeReversalText(reversal: TrainingRecipe['timeReversal']): string {
  const swaps = '(which swaps left and right, and `growing` and `shrinking`)';
  if (reversal === 'random') return ` and random time reversal\n  ${swaps}, so the model must read the order of frames`;
  if (reversal === 'paired') return ` and time reversal\n  ${swaps}: every clip is trained next to its own reversal in the same batch, so the two differ only in\n  the order of frames, which is all the model can use to tell them apart`;
  return '';
}
