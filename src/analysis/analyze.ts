/**
 * Analyze one video with one model: the entry point every front end calls (the CLI's `analyze`,
 * the app's engine process). It coordinates and never computes: ffmpeg decodes in its own process,
 * the model runs in a worker thread, and every finished window is in the store before it is
 * reported, so a run killed at any moment resumes where it stopped.
 *
 * video ─probe─► sampling plan ─► store (resume?) ─► runWindows ─► store.finish ─► windows
 */
import type { Normalization, SamplingParams, VideoInfo, WindowResult } from '../shared/analysis.js';
import type { AnalysisEvent } from '../shared/analysis-events.js';
import { cancelledError } from '../shared/cancellation.js';
import { LongviewError } from '../shared/errors.js';
import type { BackendName } from '../model/backend.js';
import { describeModel, openModelCheckpoint, type ModelDescription } from '../model/load-model.js';
import { probeVideo } from '../video/probe.js';
import { describeTools, locateTools } from '../video/tools.js';
import { InferenceClient } from './inference-client.js';
import { modelIdentifier } from './model-identifier.js';
import { runWindows } from './run-windows.js';
import { expectedSampledFrames, resolveNormalization, resolveSampling, windowCount } from './sampling.js';
import { AnalysisStore, type StoreKey } from './store/analysis-store.js';
import { trainedFrameStride } from './trained-stride.js';

export { declaredFrameStride } from './trained-stride.js';
import { modelChecksum, videoIdentity } from './store/identity.js';

/**
 * Bumped when a change to decoding or inference changes what a window's record would hold, so
 * stores written by an older engine are never mixed with new results.
 */
export const STORE_ENGINE_VERSION = 1;

export interface AnalyzeRequest {
  videoPath: string;
  modelPath: string;
  configPath?: string | undefined;
  labelsPath?: string | undefined;
  windowFrames?: number | undefined;
  frameStride?: number | undefined;
  windowStrideSeconds?: number | undefined;
  backend?: BackendName | undefined;
  threads?: number | undefined;
  cacheDirectory: string;
  /** false: recompute everything (the store for these settings is started afresh). */
  resume: boolean;
  stallTimeoutMs?: number | undefined;
}

export interface AnalyzedModel {
  id: string;
  description: ModelDescription;
  checksum: string;
}

export interface AnalysisRun {
  video: VideoInfo;
  model: AnalyzedModel;
  sampling: SamplingParams;
  normalization: Normalization;
  /** The backend that computed windows in this run, or the one recorded when nothing was left to compute. */
  backend: string;
  /** Every window, in order, as stored. */
  windows: WindowResult[];
  computedNow: number;
  partialReason: string | null;
  analyzedSeconds: number;
  storePath: string;
}

export async function analyzeVideo(request: AnalyzeRequest, options: { signal?: AbortSignal; onEvent?: (event: AnalysisEvent) => void } = {}): Promise<AnalysisRun> {
  const emit = options.onEvent ?? (() => undefined);
  const { signal } = options;
  const tools = locateTools();
  const video = await probeVideo(request.videoPath, { tools, ...(signal === undefined ? {} : { signal }) });
  emit({ type: 'probed', video, tools: describeTools(tools) });

  // Only headers are read here; the worker loads the weights.
  const checkpoint = openModelCheckpoint(request.modelPath, { configPath: request.configPath, labelsPath: request.labelsPath });
  checkpoint.source.close();
  const description = describeModel(checkpoint);
  const { config } = checkpoint;
  const id = modelIdentifier(checkpoint.path, (config as { _name_or_path?: string })._name_or_path);
  emit({ type: 'model', id, license: description.license, labels: description.labels.length, assumptions: description.assumptions });
  // A model samples as it was trained, unless the window length is overridden.
  const trainedStride = request.windowFrames === undefined ? trainedFrameStride(checkpoint.path, checkpoint.files, config.num_frames) : undefined;
  const sampling = resolveSampling({
    modelFrames: config.num_frames,
    imageSize: config.image_size,
    windowFrames: request.windowFrames,
    frameStride: request.frameStride ?? trainedStride,
    windowStrideSeconds: request.windowStrideSeconds,
  });
  const normalization = resolveNormalization(checkpoint.preprocessor);

  const checksum = await modelChecksum(description.files, request.cacheDirectory);
  const key: StoreKey = {
    video: await videoIdentity(video.path),
    modelChecksum: checksum,
    parameters: { engine: STORE_ENGINE_VERSION, sampling, normalization },
  };
  throwIfAborted(signal);
  const store = AnalysisStore.open(request.cacheDirectory, key, { resume: request.resume });
  try {
    const windowsTotalEstimate = video.durationSeconds > 0 ? windowCount(expectedSampledFrames(video.durationSeconds, sampling), sampling) : null;
    emit({ type: 'plan', sampling, windowsTotal: store.finished === undefined ? windowsTotalEstimate : store.windows.length, windowsStored: store.windows.length, storePath: store.path });

    let computedNow = 0;
    if (store.finished === undefined) {
      const client = new InferenceClient({ onLayer: (window, done, total) => emit({ type: 'layer', window, done, total }) });
      const abort = (): void => void client.terminate(cancelledError('The analysis', signal?.reason));
      signal?.addEventListener('abort', abort, { once: true });
      try {
        const loaded = client.load({ modelPath: request.modelPath, configPath: request.configPath, labelsPath: request.labelsPath, backend: request.backend, threads: request.threads });
        // Errors surface where the windows wait for it; this only stops an early failure from going unhandled.
        loaded.catch(() => undefined);
        let backend = '';
        const backendKnown = loaded.then((response) => {
          backend = response.backend;
          emit({ type: 'loaded', backend, details: response.details });
        });
        const summary = await runWindows({
          video,
          tools,
          sampling,
          normalization,
          labels: description.labels,
          firstWindow: store.windows.length,
          windowsTotalEstimate,
          client,
          loaded: backendKnown,
          append: (window) => store.append(window),
          emit,
          signal,
          stallTimeoutMs: request.stallTimeoutMs,
        });
        computedNow = summary.computedWindows;
        if (store.windows.length === 0) throw new LongviewError('input', 'no-frames', `${video.path}: no frame could be decoded`);
        const windows = store.windows;
        store.finish({
          partialReason: summary.partialReason,
          analyzedSeconds: analyzedSeconds(windows),
          framesDelivered: summary.framesDelivered,
          lastFrameSeconds: windows[windows.length - 1]!.frameTimes.at(-1) ?? null,
          backend: backend === '' ? 'none' : backend,
        });
      } finally {
        signal?.removeEventListener('abort', abort);
        await client.terminate();
      }
    }
    const finished = store.finished!;
    emit({ type: 'finished', windows: store.windows.length, computedNow, partialReason: finished.partialReason });
    return {
      video,
      model: { id, description, checksum },
      sampling,
      normalization,
      backend: finished.backend,
      windows: [...store.windows],
      computedNow,
      partialReason: finished.partialReason,
      analyzedSeconds: finished.analyzedSeconds,
      storePath: store.path,
    };
  } finally {
    store.close();
  }
}

/** Seconds of video the windows cover, overlaps counted once. */
export function analyzedSeconds(windows: readonly WindowResult[]): number {
  let covered = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const window of windows) {
    const start = Math.max(window.startSeconds, reach);
    if (window.endSeconds > start) covered += window.endSeconds - start;
    reach = Math.max(reach, window.endSeconds);
  }
  return covered;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw cancelledError('The analysis', signal.reason);
}
