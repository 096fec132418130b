/**
 * The training loop: Adam on mini-batches of clips, warm-up then cosine learning rate, random
 * left–right flips, a fixed seeded order. The model's forward takes one clip, so a batch is the
 * mean of its clips' losses taken under one gradient tape.
 */
import * as tf from '@tensorflow/tfjs';
import type { Normalization } from '../shared/analysis.js';
import { clipActorMask, clipPixelValues } from './clip-tensors.js';
import { flippedLabel, reversedLabel } from './clip-labels.js';
import type { TrainableModel } from './initial-weights.js';
import { classificationLoss, heatmapLoss, tokenLabelLoss } from './loss.js';
import { randomIndex, shuffleInPlace, uniformSource } from './random.js';
import type { ClipExample, TrainingSet } from './training-set.js';

export type TimeReversal = 'off' | 'random' | 'paired';

export interface LoopSettings {
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  heatmapLossWeight: number;
  /** Weight of the token-labelling loss (0: off); see loss.ts. */
  tokenLossWeight: number;
  /**
   * Playing clips backwards (see reversedLabel): 'off'; 'random', each clip at random; 'paired',
   * every clip next to its own reversal in the same batch, so the two gradients differ only
   * through the order of frames (the "arrow of time" contrast).
   */
  timeReversal: TimeReversal;
  frames: number;
  normalization: Normalization;
  seed: number;
}

export interface StepReport {
  step: number;
  steps: number;
  loss: number;
  classificationLoss: number;
  heatmapLoss: number;
  tokenLoss: number;
  /** Share of this step's clips classified right (before the update). */
  accuracy: number;
  learningRate: number;
  elapsedSeconds: number;
}

/** Linear warm-up to the peak, then a cosine down to 5 % of it at the last step. */
export function learningRateAt(step: number, settings: Pick<LoopSettings, 'steps' | 'learningRate' | 'warmupSteps'>): number {
  if (step < settings.warmupSteps) return (settings.learningRate * (step + 1)) / settings.warmupSteps;
  const progress = (step - settings.warmupSteps) / Math.max(1, settings.steps - settings.warmupSteps);
  return settings.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
}

/**
 * Batches in a seeded order: shuffled epochs of every example, each with a flip and a
 * time-reversal decision ('paired': each drawn clip twice, forwards then backwards, same flip).
 */
export function* batchOrder(examples: readonly ClipExample[], batchSize: number, seed: number, timeReversal: TimeReversal): Generator<{ example: ClipExample; flip: boolean; reverse: boolean }[]> {
  const uniform = uniformSource(seed);
  let order: number[] = [];
  for (;;) {
    const batch: { example: ClipExample; flip: boolean; reverse: boolean }[] = [];
    while (batch.length < batchSize) {
      if (order.length === 0) order = shuffleInPlace([...examples.keys()], uniform);
      const example = examples[order.pop()!]!;
      const flip = randomIndex(uniform, 2) === 1;
      if (timeReversal === 'paired') {
        batch.push({ example, flip, reverse: false });
        if (batch.length < batchSize) batch.push({ example, flip, reverse: true });
      } else {
        batch.push({ example, flip, reverse: timeReversal === 'random' && randomIndex(uniform, 2) === 1 });
      }
    }
    yield batch;
  }
}

export async function trainModel(trainable: TrainableModel, data: TrainingSet, settings: LoopSettings, onStep: (report: StepReport) => void = () => undefined): Promise<StepReport[]> {
  const optimizer = tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-8);
  // tfjs' Adam keeps its rate in a field it only reads per step; the schedule sets it there.
  const rate = optimizer as unknown as { learningRate: number };
  const batches = batchOrder(data.examples, settings.batchSize, settings.seed, settings.timeReversal);
  const weights = trainable.model.backendWeights();
  const classifier = { weight: weights.get('classifier.weight')!, bias: weights.get('classifier.bias')! };
  const started = performance.now();
  const reports: StepReport[] = [];
  try {
    for (let step = 0; step < settings.steps; step++) {
      rate.learningRate = learningRateAt(step, settings);
      const batch = batches.next().value!;
      let correct = 0;
      const parts = { classification: 0, heatmap: 0, token: 0 };
      const loss = optimizer.minimize(
        () => {
          const losses: tf.Scalar[] = [];
          for (const { example, flip, reverse } of batch) {
            const video = data.videos[example.video]!;
            const mirroredLabel = flip ? flippedLabel(example.label) : example.label;
            const label = reverse ? reversedLabel(mirroredLabel) : mirroredLabel;
            const pixels = clipPixelValues(video, example.startFrame, settings.frames, settings.normalization, flip, reverse);
            const output = trainable.model.forward(pixels, { outputRollout: settings.heatmapLossWeight > 0 });
            pixels.dispose();
            if (tf.argMax(output.logits, 1).dataSync()[0] === label) correct += 1;
            const classification = classificationLoss(output.logits, label);
            parts.classification += classification.dataSync()[0]! / batch.length;
            let total: tf.Scalar = classification;
            if (settings.heatmapLossWeight > 0 || settings.tokenLossWeight > 0) {
              const mask = clipActorMask(video, example.startFrame, settings.frames, flip, reverse);
              const heatmap = settings.heatmapLossWeight > 0 ? heatmapLoss(output.rolloutRaw!, mask) : undefined;
              if (heatmap !== undefined) {
                parts.heatmap += heatmap.dataSync()[0]! / batch.length;
                total = tf.add(total, tf.mul(heatmap, settings.heatmapLossWeight));
              }
              const tokens = settings.tokenLossWeight > 0 ? tokenLabelLoss(output.lastHiddenState, classifier.weight, classifier.bias, mask, label) : undefined;
              if (tokens !== undefined) {
                parts.token += tokens.dataSync()[0]! / batch.length;
                total = tf.add(total, tf.mul(tokens, settings.tokenLossWeight));
              }
            }
            losses.push(total);
          }
          return tf.div(tf.addN(losses), batch.length) as tf.Scalar;
        },
        true,
        trainable.variables,
      )!;
      const value = (await loss.data())[0]!;
      loss.dispose();
      const report: StepReport = {
        step: step + 1,
        steps: settings.steps,
        loss: value,
        classificationLoss: parts.classification,
        heatmapLoss: parts.heatmap,
        tokenLoss: parts.token,
        accuracy: correct / batch.length,
        learningRate: rate.learningRate,
        elapsedSeconds: (performance.now() - started) / 1000,
      };
      if (!Number.isFinite(value)) throw new Error(`training diverged at step ${report.step}: loss ${value}`);
      reports.push(report);
      onStep(report);
    }
  } finally {
    optimizer.dispose();
  }
  return reports;
}
