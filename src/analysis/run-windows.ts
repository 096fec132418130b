/**
 * The streaming core of an analysis: decoded frames → windows → the inference worker → the
 * store, with the decoder allowed to run at most one window ahead of the model.
 *
 *   ffmpeg ──frames──► WindowAssembler ──window──► InferenceClient (worker) ──result──► store.append
 *            (ring of ≤ 1 window)        (≤ QUEUE_DEPTH windows queued)          (fsynced, in order)
 *
 * Backpressure is end to end: while the worker's queue is full we stop pulling frames, the pipe
 * fills, and ffmpeg blocks. Memory is one window of frames plus the queued windows.
 */
import type { Normalization, SamplingParams, ScoredLabel, VideoInfo, WindowResult } from '../shared/analysis.js';
import type { AnalysisEvent } from '../shared/analysis-events.js';
import { LongviewError } from '../shared/errors.js';
import { decodeFrames } from '../video/decoder.js';
import type { FfmpegTools } from '../video/tools.js';
import type { InferenceClient } from './inference-client.js';
import type { ResultResponse } from './inference-protocol.js';
import { WindowAssembler, type AssembledWindow } from './window-assembler.js';
import { topLabels } from './top-labels.js';

/** One window computing and one waiting: the model never idles while the decoder keeps up. */
const QUEUE_DEPTH = 2;

export interface WindowRunInput {
  video: VideoInfo;
  tools: FfmpegTools;
  sampling: SamplingParams;
  normalization: Normalization;
  labels: readonly string[];
  /** Windows already in the store: decoding starts at the first frame of the next one. */
  firstWindow: number;
  windowsTotalEstimate: number | null;
  client: InferenceClient;
  /** Settles when the worker has the model; windows wait for it, decoding does not. */
  loaded: Promise<unknown>;
  append: (window: WindowResult) => void;
  emit: (event: AnalysisEvent) => void;
  signal?: AbortSignal | undefined;
  stallTimeoutMs?: number | undefined;
}

export interface WindowRunSummary {
  computedWindows: number;
  /** Windows in the store at the end (including those from before). */
  windowsTotal: number;
  framesDelivered: number;
  lastFrameSeconds: number | null;
  partialReason: string | null;
}

export async function runWindows(input: WindowRunInput): Promise<WindowRunSummary> {
  const { sampling, client } = input;
  const declaredSeconds = input.video.videoDurationSeconds ?? input.video.durationSeconds;
  const videoEnd = declaredSeconds > 0 ? input.video.startSeconds + declaredSeconds : Number.POSITIVE_INFINITY;
  const assembler = new WindowAssembler(sampling, input.firstWindow, videoEnd);
  let stored = input.firstWindow;
  let computed = 0;
  let total = input.windowsTotalEstimate;
  const inFlight = new Set<Promise<void>>();

  const toResult = (window: Omit<AssembledWindow, 'pixels'>, response: ResultResponse): WindowResult => ({
    index: window.index,
    startFrame: window.startFrame,
    realFrames: window.realFrames,
    padded: window.padded,
    frameTimes: window.frameTimes,
    startSeconds: window.startSeconds,
    endSeconds: window.endSeconds,
    // Float32 values as doubles: exact, and they survive JSON unchanged.
    logits: Array.from(response.logits),
    heatmap: { ...response.heatmap },
  });

  const submit = async (window: AssembledWindow): Promise<void> => {
    await input.loaded;
    while (inFlight.size >= QUEUE_DEPTH) await Promise.race(inFlight);
    const { pixels, ...described } = window;
    const task = client
      .infer({ window: window.index, pixels, frames: sampling.windowFrames, imageSize: sampling.imageSize, realFrames: window.realFrames, normalization: input.normalization })
      .then((response) => {
        const result = toResult(described, response);
        input.append(result);
        stored += 1;
        computed += 1;
        if (total !== null && stored > total) total = stored;
        const top: ScoredLabel[] = topLabels(result.logits, input.labels, 5);
        input.emit({ type: 'window', window: result, top, windowsDone: stored, windowsTotal: total, computeSeconds: response.milliseconds / 1000 });
      });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    // A failure surfaces through Promise.race above or the final Promise.all below.
    tracked.catch(() => undefined);
  };

  const stream = decodeFrames(input.video.path, input.video, {
    tools: input.tools,
    samplingFps: sampling.samplingFps,
    frameStride: sampling.frameStride,
    imageSize: sampling.imageSize,
    firstFrame: assembler.nextStartFrame,
    ...(input.signal === undefined ? {} : { signal: input.signal }),
    ...(input.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: input.stallTimeoutMs }),
  });
  let framesDelivered = 0;
  let lastFrameSeconds: number | null = null;
  let partialReason: string | null = null;
  try {
    for await (const frame of stream.frames()) {
      framesDelivered += 1;
      lastFrameSeconds = frame.seconds;
      for (const window of assembler.push(frame)) await submit(window);
    }
    const summary = await stream.done;
    partialReason = summary.partial ? summary.partialReason : null;
  } catch (error) {
    // Resuming after the last window: the decoder has nothing left to give, which is no error.
    const nothingLeft = error instanceof LongviewError && error.reason === 'no-frames' && input.firstWindow > 0;
    if (!nothingLeft) {
      stream.cancel();
      throw error;
    }
  }
  const last = assembler.finish();
  if (last !== undefined) await submit(last);
  input.emit({ type: 'decoded', windowsTotal: stored + inFlight.size, partialReason });
  await Promise.all(inFlight);
  return { computedWindows: computed, windowsTotal: stored, framesDelivered, lastFrameSeconds, partialReason };
}
