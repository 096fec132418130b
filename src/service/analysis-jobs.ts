/**
 * Running analyses, one AbortController each, reported as a stream of `AnalysisUpdate`s:
 * started → event … (with fresh segments after every window) → completed | failed | cancelled.
 * Every run, finished or not, is kept by its analysisId so the UI can re-segment and export it
 * (a cancelled run exports what it had, marked partial).
 */
import { randomBytes } from 'node:crypto';
import type { AnalysisUpdate, Settings } from '../shared/api.js';
import type { AnalysisEvent } from '../shared/analysis-events.js';
import type { VideoInfo } from '../shared/analysis.js';
import { LongviewError } from '../shared/errors.js';
import { analyzeVideo } from '../analysis/analyze.js';
import type { BackendName } from '../model/backend.js';
import type { AnalysisRecord } from './analysis-record.js';
import { segmentsOf, snapshotOf } from './analysis-record.js';
import { toApiError } from './api-error.js';
import { readModelFacts, samplingFor, type ModelFacts } from './model-facts.js';
import { storedWindows } from './stored-analysis.js';

export interface JobRequest {
  videoId: string;
  video: VideoInfo;
  modelPath: string;
  windowFrames?: number | undefined;
  frameStride?: number | undefined;
  windowStrideSeconds?: number | undefined;
  backend: BackendName | undefined;
  resume: boolean;
}

export interface JobsOptions {
  cacheDirectory: string;
  /** Read when segments are computed, so a settings change applies to the next window. */
  settings: () => Settings;
  emit: (update: AnalysisUpdate) => void;
}

/** Runs kept in memory; the oldest go first. A run of a 3-hour video is ~60 MB of windows. */
const KEPT_RUNS = 8;

export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

export class AnalysisJobs {
  readonly #options: JobsOptions;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  readonly #records = new Map<string, AnalysisRecord>();

  constructor(options: JobsOptions) {
    this.#options = options;
  }

  start(request: JobRequest): { jobId: string } {
    const jobId = randomId();
    const controller = new AbortController();
    const done = this.#run(jobId, request, controller.signal).finally(() => this.#running.delete(jobId));
    this.#running.set(jobId, { controller, done });
    return { jobId };
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.#running.get(jobId);
    if (job === undefined || job.controller.signal.aborted) return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  /** A run by analysisId; throws a usage error for one this engine does not hold (e.g. after a restart). */
  record(analysisId: string): AnalysisRecord {
    const record = this.#records.get(analysisId);
    if (record === undefined) throw new LongviewError('usage', 'unknown-analysis', 'This analysis is no longer held by the engine; run or open it again.');
    return record;
  }

  remember(record: AnalysisRecord): void {
    this.#records.delete(record.analysisId);
    this.#records.set(record.analysisId, record);
    while (this.#records.size > KEPT_RUNS) this.#records.delete(this.#records.keys().next().value!);
  }

  /** Cancels every job and waits until each has ended (its ffmpeg and worker gone). */
  async cancelAll(): Promise<void> {
    const jobs = [...this.#running.values()];
    for (const job of jobs) job.controller.abort();
    await Promise.all(jobs.map((job) => job.done));
  }

  async #run(jobId: string, request: JobRequest, signal: AbortSignal): Promise<void> {
    const emit = (update: DistributiveOmit<AnalysisUpdate, 'jobId'>): void => this.#options.emit({ jobId, ...update } as AnalysisUpdate);
    let record: AnalysisRecord | undefined;
    try {
      const model = await readModelFacts(request.modelPath, this.#options.cacheDirectory);
      record = this.#newRecord(request, model);
      this.remember(record);
      emit({ type: 'started', analysisId: record.analysisId, videoId: request.videoId, model: { id: model.id, license: model.license, labels: [...model.labels] } });
      const live = record;
      const run = await analyzeVideo(
        {
          videoPath: request.video.path,
          modelPath: request.modelPath,
          windowFrames: request.windowFrames,
          frameStride: request.frameStride,
          windowStrideSeconds: request.windowStrideSeconds,
          backend: request.backend,
          cacheDirectory: this.#options.cacheDirectory,
          resume: request.resume,
        },
        { signal, onEvent: (event) => this.#onEvent(live, event, emit) },
      );
      Object.assign(live, { video: run.video, sampling: run.sampling, backend: run.backend, windows: run.windows, complete: run.partialReason === null, partialReason: run.partialReason });
      emit({ type: 'completed', snapshot: snapshotOf(live, this.#options.settings().segmentation) });
    } catch (error) {
      const cancelled = signal.aborted || (error instanceof LongviewError && error.reason === 'cancelled');
      if (record !== undefined) Object.assign(record, { complete: false, partialReason: cancelled ? 'the analysis was cancelled' : `the analysis failed: ${toApiError(error).message}` });
      emit(cancelled ? { type: 'cancelled' } : { type: 'failed', error: toApiError(error) });
    }
  }

  #newRecord(request: JobRequest, model: ModelFacts): AnalysisRecord {
    return {
      analysisId: randomId(),
      videoId: request.videoId,
      video: request.video,
      model,
      // Replaced by the plan event; set now so a record is complete from the start.
      sampling: samplingFor(model, request),
      backend: '',
      windows: [],
      complete: false,
      partialReason: 'the analysis is running',
    };
  }

  /** Keeps the record current, forwards the event, and re-segments after each window. */
  #onEvent(record: AnalysisRecord, event: AnalysisEvent, emit: (update: DistributiveOmit<AnalysisUpdate, 'jobId'>) => void): void {
    if (event.type === 'probed') record.video = event.video;
    if (event.type === 'loaded') record.backend = event.backend;
    if (event.type === 'plan') {
      record.sampling = event.sampling;
      // A resumed run reports only the windows it computes; the earlier ones come from its store.
      if (event.windowsStored > 0) record.windows = storedWindows(event.storePath, event.windowsStored);
    }
    if (event.type === 'window') record.windows.push(event.window);
    emit({ type: 'event', event });
    if (event.type === 'window' || (event.type === 'plan' && record.windows.length > 0)) {
      emit({ type: 'segments', segments: segmentsOf(record.windows, record.model.labels, this.#options.settings().segmentation, record.video.averageFrameRate) });
    }
  }
}

/** Omit over each member of a union (the built-in Omit would merge them). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
