/**
 * The engine behind both hosts: the Electron utility process and `longview serve` run this same
 * object. It answers the engine requests of the API (engine-types.ts) over the analysis engine,
 * the stores of settings, edits and recent videos, and thumbnails; hosts add what only they can
 * do (file access grants, dialogs, media URLs; see host.ts).
 */
import os from 'node:os';
import { basename } from 'node:path';
import type { EnvironmentInfo, ExportResult, OpenedVideo } from '../shared/api.js';
import type { VideoInfo } from '../shared/analysis.js';
import { LongviewError, UsageError } from '../shared/errors.js';
import { APP_VERSION } from '../shared/version.js';
import { hubSettings } from '../models/hub/hub-settings.js';
import { probeVideo } from '../video/probe.js';
import { describeTools, locateTools, type FfmpegTools } from '../video/tools.js';
import { AnalysisJobs, randomId } from './analysis-jobs.js';
import { snapshotOf, segmentsOf } from './analysis-record.js';
import { EditsStore } from './edits-store.js';
import type { EngineRequestName, EngineRequestOf, EngineResponseOf, EngineService, EngineServiceOptions } from './engine-types.js';
import { isEngineRequestName } from './engine-types.js';
import { exportAnalysisText } from './export-analysis.js';
import { readModelFacts, samplingFor } from './model-facts.js';
import { modelChoices, resolveModelChoice } from './model-choices.js';
import { RecentVideos } from './recent-videos.js';
import { checkEngineOpenVideo, validateRequest } from './request-validation.js';
import { SettingsStore } from './settings-store.js';
import { findFinishedStore } from './stored-analysis.js';
import { ThumbnailMaker } from './thumbnails.js';

type Handlers = { [K in EngineRequestName]: (request: EngineRequestOf<K>) => Promise<EngineResponseOf<K>> | EngineResponseOf<K> };

export function createEngineService(options: EngineServiceOptions): EngineService {
  const { dataFolder, cacheDirectory } = options;
  const hub = hubSettings(process.env, os.homedir());
  const settings = new SettingsStore(dataFolder);
  const edits = new EditsStore(dataFolder);
  const recent = new RecentVideos(dataFolder);
  const opened = new Map<string, VideoInfo>();
  let tools: FfmpegTools | undefined;
  let thumbnails: ThumbnailMaker | undefined;
  const jobs = new AnalysisJobs({ cacheDirectory, settings: () => settings.get(), emit: (update) => options.emit('analysisUpdate', update) });
  const lifetime = new AbortController();

  const ffmpeg = (): FfmpegTools => (tools ??= locateTools());
  const video = (videoId: string): VideoInfo => {
    const info = opened.get(videoId);
    if (info === undefined) throw new LongviewError('usage', 'unknown-video', 'This video is not open in the engine (unknown video id); open the file again.');
    return info;
  };

  const handlers: Handlers = {
    getEnvironment: (): EnvironmentInfo => {
      let toolText: string;
      try {
        toolText = describeTools(ffmpeg());
      } catch (error) {
        toolText = `not found: ${(error as Error).message}`;
      }
      return { host: options.host, appVersion: APP_VERSION, tools: toolText, canChooseFiles: options.host === 'electron', dataFolder };
    },
    openVideo: async ({ path, videoId }): Promise<Omit<OpenedVideo, 'mediaUrl'>> => {
      const info = await probeVideo(path, { tools: ffmpeg(), signal: lifetime.signal });
      opened.set(videoId, info);
      recent.add(info.path);
      return { videoId, name: basename(info.path), path: info.path, info };
    },
    recentVideos: () => recent.list(),
    listModels: () => modelChoices(hub, cacheDirectory),
    startAnalysis: (request) =>
      jobs.start({
        videoId: request.videoId,
        video: video(request.videoId),
        modelPath: resolveModelChoice(request.model, settings.get().model, hub),
        windowFrames: request.windowFrames,
        frameStride: request.frameStride,
        windowStrideSeconds: request.windowStrideSeconds,
        backend: request.backend === 'auto' ? undefined : request.backend,
        resume: request.resume,
      }),
    cancelAnalysis: ({ jobId }) => jobs.cancel(jobId),
    getAnalysis: async (request) => {
      const info = video(request.videoId);
      const model = await readModelFacts(resolveModelChoice(request.model, settings.get().model, hub), cacheDirectory);
      const sampling = samplingFor(model, request);
      const stored = await findFinishedStore(info.path, model, sampling, cacheDirectory);
      if (stored === null) return null;
      const record = {
        analysisId: randomId(),
        videoId: request.videoId,
        video: info,
        model,
        sampling,
        backend: stored.finished.backend,
        windows: stored.windows,
        complete: stored.finished.partialReason === null,
        partialReason: stored.finished.partialReason,
      };
      jobs.remember(record);
      return snapshotOf(record, settings.get().segmentation);
    },
    resegment: ({ analysisId, segmentation }) => {
      const record = jobs.record(analysisId);
      return segmentsOf(record.windows, record.model.labels, segmentation, record.video.averageFrameRate);
    },
    exportAnalysis: (request): ExportResult => {
      if (request.destination !== 'text') throw new UsageError('The engine exports as text only; the host saves files (destination "dialog").');
      const exported = exportAnalysisText(jobs.record(request.analysisId), request.format, request.segments, settings.get().segmentation);
      return { ...exported, savedPath: null };
    },
    loadEdits: ({ videoId }) => edits.load(video(videoId).path),
    saveEdits: ({ videoId, edits: saved }) => edits.save(video(videoId).path, saved),
    thumbnails: ({ videoId, times, height }) => {
      thumbnails ??= new ThumbnailMaker(ffmpeg());
      return thumbnails.thumbnails(videoId, video(videoId).path, times, height, lifetime.signal);
    },
    getSettings: () => settings.get(),
    setSettings: (request) => settings.set(request),
  };

  return {
    async handle(method, request) {
      if (!isEngineRequestName(method)) throw new UsageError(`The engine has no request named ${JSON.stringify(String(method).slice(0, 40))}.`);
      if (lifetime.signal.aborted) throw new LongviewError('usage', 'engine-stopped', 'The engine is shutting down.');
      const checked = method === 'openVideo' ? checkEngineOpenVideo(request, method) : validateRequest(method, request);
      const handler = handlers[method] as (request: unknown) => unknown;
      return await handler(checked);
    },
    async dispose() {
      lifetime.abort();
      await jobs.cancelAll();
    },
  };
}
