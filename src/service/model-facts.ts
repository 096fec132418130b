/**
 * What the service needs to know about a model without running it: its name, labels, license,
 * checksum, normalization and how it samples. Read from the checkpoint's headers only (the weights
 * stay on disk), exactly as analyze.ts reads them, so `getAnalysis` finds the same store an
 * analysis wrote and an export names the model the same way.
 */
import type { Normalization, SamplingParams } from '../shared/analysis.js';
import type { ResultDocument } from '../shared/result-document.js';
import { trainedFrameStride } from '../analysis/trained-stride.js';
import { modelIdentifier } from '../analysis/model-identifier.js';
import { resolveNormalization, resolveSampling } from '../analysis/sampling.js';
import { modelChecksum } from '../analysis/store/identity.js';
import { describeModel, openModelCheckpoint } from '../model/load-model.js';

/** What an export document says of the model (id, path, checksum, license, attention type, labels), and how to feed it. */
type DocumentModel = ResultDocument['model'];

export interface ModelFacts extends DocumentModel {
  normalization: Normalization;
  /** config.num_frames and config.image_size. */
  frames: number;
  imageSize: number;
  /**
   * The stride the model was trained at, as analyze.ts decides it: the catalog's for a released
   * checkpoint at its own length, else the one its config.json declares (`longview_sampling`).
   */
  trainedStride: number | undefined;
}

export async function readModelFacts(modelPath: string, cacheDirectory: string): Promise<ModelFacts> {
  const checkpoint = openModelCheckpoint(modelPath);
  checkpoint.source.close();
  const description = describeModel(checkpoint);
  const { config } = checkpoint;
  return {
    id: modelIdentifier(checkpoint.path, (config as { _name_or_path?: string })._name_or_path),
    path: description.path,
    checksum: await modelChecksum(description.files, cacheDirectory),
    license: description.license,
    attentionType: config.attention_type,
    labels: description.labels,
    normalization: resolveNormalization(checkpoint.preprocessor),
    frames: config.num_frames,
    imageSize: config.image_size,
    trainedStride: trainedFrameStride(checkpoint.path, description.files, config.num_frames),
  };
}

/** The sampling analyze.ts would use for these overrides (a released model keeps its trained stride unless the window length is overridden). */
export function samplingFor(facts: ModelFacts, overrides: { windowFrames?: number | undefined; frameStride?: number | undefined; windowStrideSeconds?: number | undefined }): SamplingParams {
  return resolveSampling({
    modelFrames: facts.frames,
    imageSize: facts.imageSize,
    windowFrames: overrides.windowFrames,
    frameStride: overrides.frameStride ?? (overrides.windowFrames === undefined ? facts.trainedStride : undefined),
    windowStrideSeconds: overrides.windowStrideSeconds,
  });
}
