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
import { classificationLoss, heatmapLoss } from './loss.js';
import { randomIndex, shuffleInPlace, uniformSource } from './random.js';
import type { ClipExample, TrainingSet } from './training-set.js';

export interface LoopSettings {
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  heatmapLossWeight: number;
  /** Also play clips backwards at random (see reversedLabel). */
  timeReversal: boolean;
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

/** Batches in a seeded order: shuffled epochs of every example, each with a flip and a time-reversal decision. */
export function* batchOrder(examples: readonly ClipExample[], batchSize: number, seed: number, timeReversal: boolean): Generator<{ example: ClipExample; flip: boolean; reverse: boolean }[]> {
  const uniform = uniformSource(seed);
  let order: number[] = [];
  for (;;) {
    const batch: { example: ClipExample; flip: boolean; reverse: boolean }[] = [];
    while (batch.length < batchSize) {
      if (order.length === 0) order = shuffleInPlace([...examples.keys()], uniform);
      batch.push({ example: examples[order.pop()!]!, flip: randomIndex(uniform, 2) === 1, reverse: timeReversal && randomIndex(uniform, 2) === 1 });
    }
    yield batch;
  }
}

export async function trainModel(trainable: TrainableModel, data: TrainingSet, settings: LoopSettings, onStep: (report: StepReport) => void = () => undefined): Promise<StepReport[]> {
  const optimizer = tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-8);
  // tfjs' Adam keeps its rate in a field it only reads per step; the schedule sets it there.
  const rate = optimizer as unknown as { learningRate: number };
  const batches = batchOrder(data.examples, settings.batchSize, settings.seed, settings.timeReversal);
  const started = performance.now();
  const reports: StepReport[] = [];
  try {
    for (let step = 0; step < settings.steps; step++) {
      rate.learningRate = learningRateAt(step, settings);
      const batch = batches.next().value!;
      let correct = 0;
      const parts = { classification: 0, heatmap: 0 };
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
            if (settings.heatmapLossWeight > 0) {
              const mask = clipActorMask(video, example.startFrame, settings.frames, flip, reverse);
              const heatmap = heatmapLoss(output.rolloutRaw!, mask);
              if (heatmap !== undefined) {
                parts.heatmap += heatmap.dataSync()[0]! / batch.length;
                total = tf.add(classification, tf.mul(heatmap, settings.heatmapLossWeight));
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
