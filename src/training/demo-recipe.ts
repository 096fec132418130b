/**
 * The demo model's recipe in one place: architecture, sampling, data seeds and optimizer
 * settings. train-demo.ts runs it, the model card quotes it, tests shrink it.
 */
import { parseConfig, type TimesformerConfig } from '../model/config.js';
import { ACTIVITIES } from '../synthetic/activities.js';
import type { TimeReversal } from './train-loop.js';

/** HF TimesformerConfig fields of the demo model (64 px, 8×8 patches, 16 frames). */
export const DEMO_ARCHITECTURE = {
  image_size: 64,
  patch_size: 8,
  num_channels: 3,
  num_frames: 16,
  hidden_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  intermediate_size: 192,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-6,
  qkv_bias: true,
  attention_type: 'divided_space_time',
} as const;

/** Every 6th frame at 30 fps: a 16-frame window spans 96 video frames, 3.2 s. */
export const DEMO_FRAME_STRIDE = 6;
export const DEMO_SAMPLING_FPS = 30;

export const DEMO_LABELS: readonly string[] = ACTIVITIES;

/** The demo model's config: DEMO_ARCHITECTURE with the activity labels. */
export function demoConfig(): TimesformerConfig {
  return parseConfig({ model_type: 'timesformer', ...DEMO_ARCHITECTURE, id2label: Object.fromEntries(DEMO_LABELS.map((label, index) => [index, label])) });
}

export interface TrainingRecipe {
  /** Seeds of the generated training videos (disjoint from evaluation's 9001+ and the sample's). */
  videoSeeds: number[];
  videoSeconds: number;
  /** Plan segment lengths for training videos, seconds: shorter than the default so every video has many changes. */
  planMinSeconds: number;
  planMaxSeconds: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  weightDecay: number;
  /** Weight of the auxiliary heatmap loss (0: off); see loss.ts. */
  heatmapLossWeight: number;
  /** Weight of the auxiliary token-labelling loss (0: off); see loss.ts. */
  tokenLossWeight: number;
  /** Start two first-layer temporal heads one frame ahead / back (temporal-shift-init.ts). */
  temporalShiftHeads: boolean;
  /** Time reversal on top of the left–right flip (train-loop.ts TimeReversal, clip-labels.ts reversedLabel). */
  timeReversal: TimeReversal;
  /** Seed of initial weights, data order and augmentation. */
  seed: number;
}

export const DEMO_RECIPE: TrainingRecipe = {
  videoSeeds: Array.from({ length: 24 }, (_, index) => 1000 + index),
  videoSeconds: 75,
  planMinSeconds: 4,
  planMaxSeconds: 14,
  steps: 700,
  batchSize: 8,
  learningRate: 2e-3,
  warmupSteps: 20,
  weightDecay: 0,
  heatmapLossWeight: 0.25,
  tokenLossWeight: 1,
  timeReversal: 'off',
  temporalShiftHeads: false,
  seed: 7,
};
