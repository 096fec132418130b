/**
 * Everything the app shows besides the edits, in one place: the open video, the analysis (live or
 * stored), models, settings, thumbnails, engine and connection state, and the last error. Methods
 * are the user's actions; each talks to the API and folds the answer in. Components read fields
 * and call methods; they never call the API themselves.
 */
import type { Segment, SegmentationParams } from '../../../src/shared/analysis.js';
import type {
  AnalysisOptions,
  AnalysisSnapshot,
  AnalysisUpdate,
  EngineStatus,
  EnvironmentInfo,
  ExportFormatName,
  ExportResult,
  LongviewApi,
  ModelChoice,
  OpenedVideo,
  RecentVideo,
  SavedEdits,
  Settings,
  Thumbnail,
} from '../../../src/shared/api.js';
import type { Connection } from '../api/connect.js';
import type { ConnectionState } from '../api/socket-api.js';
import { EMPTY_VIEW, analysisKey, applyUpdate, snapshotView, startingView, type AnalysisView } from '../lib/analysis-view.js';
import { debounce } from '../lib/debounce.js';
import { describeError, type ErrorDescription } from '../lib/error-text.js';
import { isUsable, segmentationProblems } from '../lib/segmentation-form.js';
import { THUMBNAIL_HEIGHT, batches, thumbnailTimes } from '../lib/thumbnail-times.js';
import { PRESET_FIELDS, parseWindowFields, type WindowFields } from '../lib/window-settings.js';
import { EditSession } from './edit-session.svelte.js';

/** Re-segmenting is milliseconds of engine time; waiting this long after the last change keeps a dragged slider from flooding it. */
const RESEGMENT_DELAY_MS = 100;
const SETTINGS_DELAY_MS = 400;

export class Workspace {
  readonly api: LongviewApi;
  readonly host: 'electron' | 'browser';
  readonly session: EditSession;

  environment = $state.raw<EnvironmentInfo | null>(null);
  video = $state.raw<OpenedVideo | null>(null);
  opening = $state(false);
  recent = $state.raw<RecentVideo[]>([]);
  models = $state.raw<ModelChoice[]>([]);
  settings = $state.raw<Settings | null>(null);
  windowFields = $state<WindowFields>({ ...PRESET_FIELDS });
  /** Recompute from scratch instead of reusing what the analysis store holds. */
  recompute = $state(false);
  analysis = $state.raw<AnalysisView>(EMPTY_VIEW);
  thumbnails = $state.raw<Thumbnail[]>([]);
  engine = $state.raw<EngineStatus>({ state: 'running' });
  connection = $state.raw<ConnectionState>({ state: 'open' });
  /** The server turned this page away and no connection has worked since (stays true while a retry is under way). */
  refused = $state(false);
  /** Until the host has said which videos open at start: the Welcome screen waits, so it does not flash before the first video. */
  starting = $state(true);
  /** The last failed action, shown in a banner until dismissed. */
  error = $state.raw<ErrorDescription | null>(null);
  /** A hint that is not an error (e.g. why a dropped file cannot be opened in a browser). */
  notice = $state<string | null>(null);
  resegmentError = $state.raw<ErrorDescription | null>(null);

  /** Edits saved for the open video, as loaded; applied when an analysis with the same key shows up. */
  #savedEdits: SavedEdits | null = null;
  /** The video whose edits the session holds. */
  #editsVideoId: string | null = null;
  /** Bumped on every open, so answers about a previous video are dropped. */
  #generation = 0;
  readonly #retryConnection: () => void;

  constructor(connection: Connection) {
    this.api = connection.api;
    this.host = connection.host;
    this.connection = connection.connection();
    this.#retryConnection = () => connection.retry();
    connection.onConnection((state) => {
      const wasLost = this.connection.state === 'lost' || this.connection.state === 'refused';
      if (state.state !== 'connecting') this.refused = state.state === 'refused';
      this.connection = state;
      if (wasLost && state.state === 'open') void this.#refreshAfterReconnect();
    });
    // Edits are saved for the video they were made on, captured when they were set up: a save
    // that fires after another video opened must not land on the new one.
    this.session = new EditSession((edits) => {
      const videoId = this.#editsVideoId;
      if (videoId === null) return Promise.resolve(null);
      return this.api.saveEdits({ videoId, edits });
    });
  }

  /** Subscribes to the host's events and loads what the first screen needs. */
  async start(): Promise<void> {
    this.api.onAnalysisUpdate((update) => this.#onAnalysisUpdate(update));
    this.api.onVideoOpened((video) => void this.#show(video));
    this.api.onEngineStatus((status) => (this.engine = status));
    await this.#attempt(async () => {
      const [environment, settings, models] = await Promise.all([this.api.getEnvironment({}), this.api.getSettings({}), this.api.listModels({})]);
      this.environment = environment;
      this.settings = settings;
      this.models = models;
    });
    void this.refreshRecent();
    try {
      await this.#attempt(async () => {
        const videos = await this.api.startupVideos({});
        const first = videos[0];
        if (first !== undefined && this.video === null) await this.#show(first);
      });
    } finally {
      this.starting = false;
    }
  }

  /** Connects again now instead of waiting for the next scheduled attempt. */
  retryConnection(): void {
    this.#retryConnection();
  }

  get canChooseFiles(): boolean {
    return this.environment?.canChooseFiles ?? this.host === 'electron';
  }

  /** A job is asked for or running. */
  get analysing(): boolean {
    return this.analysis.status === 'running' || this.analysis.status === 'starting';
  }

  get labels(): string[] {
    return this.analysis.model?.labels ?? [];
  }

  /** The model the next analysis uses: the chosen one, else the default, else the first. */
  get selectedModel(): ModelChoice | null {
    const chosen = this.settings?.model ?? null;
    const usable = this.models.filter((model) => model.problem === null);
    return this.models.find((model) => model.reference === chosen) ?? usable.find((model) => model.isDefault) ?? usable[0] ?? this.models[0] ?? null;
  }

  dismissError(): void {
    this.error = null;
  }

  async refreshRecent(): Promise<void> {
    try {
      this.recent = await this.api.recentVideos({});
    } catch {
      this.recent = []; // The recent list is a convenience; its failure is not worth a banner.
    }
  }

  async openPath(path: string): Promise<void> {
    const trimmed = path.trim();
    if (trimmed === '') {
      this.error = describeError({ kind: 'usage', reason: 'empty-path', message: 'type the full path of a video file first' });
      return;
    }
    await this.#opening(() => this.api.openVideo({ path: trimmed }));
  }

  async choose(): Promise<void> {
    await this.#opening(() => this.api.chooseVideo({}));
  }

  async #opening(open: () => Promise<OpenedVideo | null>): Promise<void> {
    this.opening = true;
    try {
      await this.#attempt(async () => {
        const video = await open();
        if (video !== null) await this.#show(video);
      });
    } finally {
      this.opening = false;
    }
  }

  async #show(video: OpenedVideo): Promise<void> {
    const generation = ++this.#generation;
    // Unsaved edits of the previous video are written before the session is reused.
    await this.session.flush().catch(() => undefined);
    if (generation !== this.#generation) return;
    this.video = video;
    this.analysis = EMPTY_VIEW;
    this.thumbnails = [];
    this.notice = null;
    this.resegmentError = null;
    this.#savedEdits = null;
    this.#editsVideoId = video.videoId;
    this.session.setBounds(video.info.durationSeconds, 1 / (video.info.averageFrameRate > 0 ? video.info.averageFrameRate : 30));
    this.session.resetFromModel([], [], '');
    void this.refreshRecent();
    void this.#loadThumbnails(video, generation);
    try {
      this.#savedEdits = await this.api.loadEdits({ videoId: video.videoId });
    } catch (error) {
      this.error = describeError(error);
    }
    if (generation !== this.#generation) return;
    await this.loadStoredAnalysis();
  }

  /** Shows the finished analysis the store holds for the current choices, without running the model. */
  async loadStoredAnalysis(): Promise<void> {
    const video = this.video;
    const model = this.selectedModel;
    if (video === null || model === null || model.problem !== null || this.analysing) return;
    const parsed = parseWindowFields(this.windowFields);
    if (Object.keys(parsed.problems).length > 0) return;
    const generation = this.#generation;
    await this.#attempt(async () => {
      const snapshot = await this.api.getAnalysis({ videoId: video.videoId, model: model.reference, ...parsed.overrides });
      if (generation !== this.#generation || snapshot === null) return;
      this.#showSnapshot(snapshot);
    });
  }

  #showSnapshot(snapshot: AnalysisSnapshot): void {
    this.analysis = snapshotView(snapshot);
    this.#adoptSegments(snapshot.segments);
  }

  /**
   * New model segments (a stored analysis, a live run, a re-segmentation) become the edited track:
   * the saved edits when they belong to this analysis, else the model's segments as they are.
   * Edits the user is making on this same analysis are never thrown away.
   */
  #adoptSegments(segments: Segment[]): void {
    const view = this.analysis;
    if (view.model === null || view.sampling === null) return;
    const key = analysisKey(view.model.id, view.sampling);
    if (this.session.analysisKey === key && (this.session.canUndo || this.session.segments.some((segment) => segment.origin === 'edited'))) return;
    this.session.resetFromModel(segments, view.model.labels, key);
    const saved = this.#savedEdits;
    if (saved === null || saved.analysisKey !== key) return;
    try {
      this.session.load(saved);
    } catch (error) {
      this.#savedEdits = null;
      this.error = describeError(error);
    }
  }

  async #loadThumbnails(video: OpenedVideo, generation: number): Promise<void> {
    const times = thumbnailTimes(video.info.durationSeconds, undefined, video.info.startSeconds);
    for (const batch of batches(times)) {
      try {
        const thumbnails = await this.api.thumbnails({ videoId: video.videoId, times: batch, height: THUMBNAIL_HEIGHT });
        if (generation !== this.#generation) return;
        this.thumbnails = [...this.thumbnails, ...thumbnails];
      } catch (error) {
        // A filmstrip without pictures still works; say why once in the console and stop asking.
        console.warn('thumbnails unavailable:', describeError(error).message);
        return;
      }
    }
  }

  async analyze(): Promise<void> {
    const video = this.video;
    const model = this.selectedModel;
    if (video === null || model === null || this.settings === null) return;
    const parsed = parseWindowFields(this.windowFields);
    if (Object.keys(parsed.problems).length > 0) {
      this.error = describeError({ kind: 'usage', reason: 'window-settings', message: 'fix the window settings first' });
      return;
    }
    const options: AnalysisOptions = {
      videoId: video.videoId,
      model: model.reference,
      ...parsed.overrides,
      backend: this.settings.backend,
      resume: !this.recompute,
    };
    // 'starting' without a job id: a 'started' update for this video may arrive before the answer.
    this.analysis = startingView(this.analysis, options.resume);
    try {
      const { jobId } = await this.api.startAnalysis(options);
      if (this.analysis.jobId === null) this.analysis = { ...this.analysis, jobId };
    } catch (error) {
      this.analysis = EMPTY_VIEW;
      this.error = describeError(error);
    }
  }

  async cancel(): Promise<void> {
    const jobId = this.analysis.jobId;
    if (jobId === null) return;
    await this.#attempt(async () => {
      await this.api.cancelAnalysis({ jobId });
    });
  }

  #onAnalysisUpdate(update: AnalysisUpdate): void {
    const view = this.analysis;
    if (view.jobId === null) {
      // Waiting for our job's id: only its 'started' (for the open video) is ours.
      if (view.status !== 'starting' || update.type !== 'started' || update.videoId !== this.video?.videoId) return;
    }
    const next = applyUpdate(view, update, Date.now());
    if (next === view) return;
    this.analysis = next;
    if (update.type === 'completed') this.#adoptSegments(update.snapshot.segments);
    else if (update.type === 'segments') this.#adoptSegments(update.segments);
  }

  // -------------------------------------------------------------------------------------------
  // Settings and post-processing
  // -------------------------------------------------------------------------------------------

  #saveSettings = debounce((settings: Settings) => {
    this.api.setSettings(settings).catch((error: unknown) => (this.error = describeError(error)));
  }, SETTINGS_DELAY_MS);

  updateSettings(change: Partial<Settings>): void {
    if (this.settings === null) return;
    this.settings = { ...this.settings, ...change };
    this.#saveSettings(this.settings);
  }

  chooseModel(reference: string): void {
    this.updateSettings({ model: reference });
    void this.switchAnalysis();
  }

  /**
   * The model or window settings changed: what is on screen belongs to other settings, so it
   * goes (its edits saved first), and the store's analysis for the new settings, if any, shows.
   */
  async switchAnalysis(): Promise<void> {
    if (this.video === null || this.analysing) return;
    const generation = this.#generation;
    await this.session.flush().catch(() => undefined);
    // An analysis may have started while the edits were being saved.
    if (generation !== this.#generation || this.analysing) return;
    this.analysis = EMPTY_VIEW;
    this.resegmentError = null;
    this.session.resetFromModel([], [], '');
    await this.loadStoredAnalysis();
  }

  #resegment = debounce((analysisId: string, segmentation: SegmentationParams) => {
    this.api
      .resegment({ analysisId, segmentation })
      .then((segments) => {
        if (this.analysis.analysisId !== analysisId) return;
        this.resegmentError = null;
        this.analysis = { ...this.analysis, segments };
        this.#adoptSegments(segments);
      })
      .catch((error: unknown) => (this.resegmentError = describeError(error)));
  }, RESEGMENT_DELAY_MS);

  updateSegmentation(segmentation: SegmentationParams): void {
    this.updateSettings({ segmentation });
    if (!isUsable(segmentationProblems(segmentation))) return;
    const analysisId = this.analysis.analysisId;
    if (analysisId !== null && this.analysis.windows.length > 0) this.#resegment(analysisId, segmentation);
  }

  // -------------------------------------------------------------------------------------------
  // Export and engine
  // -------------------------------------------------------------------------------------------

  async exportSegments(format: ExportFormatName): Promise<ExportResult> {
    const analysisId = this.analysis.analysisId;
    if (analysisId === null) throw describeError({ kind: 'usage', reason: 'no-analysis', message: 'analyze the video before exporting' });
    return this.api.exportAnalysis({
      analysisId,
      format,
      segments: [...this.session.segments],
      destination: this.host === 'electron' ? 'dialog' : 'text',
    });
  }

  async restartEngine(): Promise<void> {
    this.engine = { state: 'restarting' };
    await this.#attempt(async () => {
      this.engine = await this.api.restartEngine({});
    });
  }

  async #refreshRecentAndModels(): Promise<void> {
    try {
      this.models = await this.api.listModels({});
    } catch {
      // Keep the list we have.
    }
    await this.refreshRecent();
  }

  async #refreshAfterReconnect(): Promise<void> {
    await this.#refreshRecentAndModels();
  }

  async #attempt(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
