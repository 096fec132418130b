/**
 * What a running analysis tells whoever watches it (the terminal, the app): a stream of typed
 * events. Windows arrive as they finish, so a timeline can fill in live.
 */
import type { SamplingParams, ScoredLabel, VideoInfo, WindowResult } from './analysis.js';

export type AnalysisEvent =
  /** The video was probed; `tools` says which ffmpeg/ffprobe run. */
  | { type: 'probed'; video: VideoInfo; tools: string }
  /** The model is chosen (not yet loaded: loading happens alongside the first decode). */
  | { type: 'model'; id: string; license: string; labels: number; assumptions: string[] }
  /** How the video will be cut, and how much is already in the analysis store. */
  | { type: 'plan'; sampling: SamplingParams; windowsTotal: number | null; windowsStored: number; storePath: string }
  /** The backend is up and the weights are in. `details` adds notes and the backends passed over. */
  | { type: 'loaded'; backend: string; details: string }
  /** Progress inside a window: a 96-frame window takes minutes on a CPU. */
  | { type: 'layer'; window: number; done: number; total: number }
  /** One window is finished and safely stored. */
  | {
      type: 'window';
      window: WindowResult;
      top: ScoredLabel[];
      /** Windows in the store now, and the expected total (null while the video's length is unknown). */
      windowsDone: number;
      windowsTotal: number | null;
      /** Wall seconds the forward pass took. */
      computeSeconds: number;
    }
  /** The decoder reached the end; from here the total is exact. */
  | { type: 'decoded'; windowsTotal: number; partialReason: string | null }
  /** Every window is stored; segments follow. */
  | { type: 'finished'; windows: number; computedNow: number; partialReason: string | null };
