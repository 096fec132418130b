/**
 * Groups decoded frames into windows while they stream in, holding only the frames some window
 * still needs: memory is bounded by one window whatever the video's length.
 *
 * Window w covers sampled frames [w·stride, w·stride + windowFrames). It is complete when its
 * last frame arrives. When the video ends, frames after the last complete window would go
 * unseen; they form one more window, padded by repeating its last real frame, and flagged.
 */
import type { SamplingParams, WindowResult } from '../shared/analysis.js';
import { sampledFrameSeconds } from './sampling.js';

export interface Frame {
  /** Sampled index from the video's start. */
  index: number;
  /** Decoder timestamp, seconds. */
  seconds: number;
  /** imageSize × imageSize × 3 bytes, HWC RGB. */
  rgb: Uint8Array;
}

/** A window's frames and where it lies: a WindowResult before the model has seen it. */
export interface AssembledWindow extends Omit<WindowResult, 'logits' | 'heatmap'> {
  /** windowFrames × imageSize × imageSize × 3 bytes: [T, H, W, C], padded frames included. */
  pixels: Uint8Array;
}

export class WindowAssembler {
  private readonly sampling: SamplingParams;
  private readonly frameBytes: number;
  /** Seconds a sampled frame stands for: frameStride / samplingFps. */
  private readonly frameSeconds: number;
  /** Frames some unfinished window needs, by sampled index. */
  private readonly held = new Map<number, Frame>();
  private nextWindow: number;
  private lastIndex = -1;
  /** Sampled frames before this are inside a window already emitted (or a resumed run's). */
  private coveredUntil: number;

  /** Where the video ends, seconds, when known: a last frame's span is cut there. */
  private readonly videoEndSeconds: number;

  /**
   * `firstWindow` > 0 resumes: frames before its start are never needed. `videoEndSeconds` keeps
   * the last window from reaching past the video (its last sampled frame stands for up to
   * frameStride / samplingFps seconds, which may be more than the video has left).
   */
  constructor(sampling: SamplingParams, firstWindow = 0, videoEndSeconds = Number.POSITIVE_INFINITY) {
    this.sampling = sampling;
    this.videoEndSeconds = videoEndSeconds;
    this.frameBytes = sampling.imageSize * sampling.imageSize * 3;
    this.frameSeconds = sampledFrameSeconds(sampling);
    this.nextWindow = firstWindow;
    this.coveredUntil = firstWindow === 0 ? 0 : (firstWindow - 1) * sampling.windowStrideFrames + sampling.windowFrames;
  }

  /** Sampled index of the first frame the next window needs: where a resumed decode starts. */
  get nextStartFrame(): number {
    return this.nextWindow * this.sampling.windowStrideFrames;
  }

  /** Frames held right now (for memory accounting and tests). */
  get heldFrames(): number {
    return this.held.size;
  }

  /** Adds one frame; returns the windows it completes (usually none or one). */
  push(frame: Frame): AssembledWindow[] {
    if (frame.rgb.length !== this.frameBytes) throw new Error(`internal: frame ${frame.index} has ${frame.rgb.length} bytes, expected ${this.frameBytes}`);
    if (frame.index <= this.lastIndex) throw new Error(`internal: frame ${frame.index} arrived after frame ${this.lastIndex}`);
    this.lastIndex = frame.index;
    if (frame.index >= this.nextStartFrame) this.held.set(frame.index, frame);
    const complete: AssembledWindow[] = [];
    while (this.nextStartFrame + this.sampling.windowFrames - 1 <= this.lastIndex) {
      const window = this.assemble(this.nextWindow, this.lastIndex);
      // A window with no frames at all (a resumed decode that starts later) is skipped, not invented.
      if (window !== undefined) complete.push(window);
      this.coveredUntil = this.nextStartFrame + this.sampling.windowFrames;
      this.nextWindow += 1;
      this.forgetBefore(this.nextStartFrame);
    }
    return complete;
  }

  /** The video ended: the padded last window, if frames after the last full one would go unseen. */
  finish(): AssembledWindow | undefined {
    if (this.lastIndex < Math.max(this.nextStartFrame, this.coveredUntil)) return undefined;
    const window = this.assemble(this.nextWindow, this.lastIndex);
    this.nextWindow += 1;
    this.held.clear();
    return window;
  }

  private assemble(windowIndex: number, lastAvailable: number): AssembledWindow | undefined {
    const { windowFrames, windowStrideFrames } = this.sampling;
    const startFrame = windowIndex * windowStrideFrames;
    const frames: Frame[] = [];
    for (let index = startFrame; index < startFrame + windowFrames && index <= lastAvailable; index++) {
      const frame = this.held.get(index);
      if (frame !== undefined) frames.push(frame);
    }
    if (frames.length === 0) return undefined;
    const pixels = new Uint8Array(windowFrames * this.frameBytes);
    for (let slot = 0; slot < windowFrames; slot++) {
      // Sampled indices arrive consecutively (the decoder numbers them), so only the tail can be short.
      const frame = frames[Math.min(slot, frames.length - 1)]!;
      pixels.set(frame.rgb, slot * this.frameBytes);
    }
    const frameTimes = frames.map((frame) => frame.seconds);
    const last = frames[frames.length - 1]!;
    return {
      index: windowIndex,
      startFrame,
      realFrames: frames.length,
      padded: frames.length < windowFrames,
      frameTimes,
      startSeconds: frames[0]!.seconds,
      endSeconds: Math.max(last.seconds, Math.min(this.videoEndSeconds, last.seconds + this.frameSeconds)),
      pixels,
    };
  }

  private forgetBefore(index: number): void {
    for (const key of this.held.keys()) if (key < index) this.held.delete(key);
  }
}
