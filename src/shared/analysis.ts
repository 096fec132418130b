/**
 * Plain types of a video analysis, shared by the engine, the command line, the exports and the UI.
 * No code, only shapes: what a probed video is, how frames are sampled into windows, what one
 * window's result holds, and what a segment is. Times are seconds on the video's own clock (the
 * decoder's timestamps), frame indices are 0-based.
 */

/** What ffprobe says about a video, checked and made sane (see src/video/probe.ts). */
export interface VideoInfo {
  /** Absolute path. */
  path: string;
  sizeBytes: number;
  /** ffprobe's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  formatName: string;
  /** Container duration, or the video stream's when the container has none; a claim, not a fact. */
  durationSeconds: number;
  /**
   * The video stream's own duration when the file declares one (MP4 does, Matroska usually not),
   * else null. An audio track can outlast the picture: "the file ends early" is judged on this.
   */
  videoDurationSeconds: number | null;
  /** Timestamp of the first video frame, seconds (often 0; not always). */
  startSeconds: number;
  /** Average frame rate (frames / duration) and the stream's base ("real") rate, frames per second. */
  averageFrameRate: number;
  realFrameRate: number;
  /** Average and real rates disagree by more than 1 %: timestamps, not counts, place frames. */
  variableFrameRate: boolean;
  /** As displayed: rotation applied (a 90° phone video stored 1920×1080 is 1080×1920 here). */
  width: number;
  height: number;
  /** Degrees clockwise the player rotates the stored picture: 0, 90, 180 or 270. */
  rotation: number;
  videoCodec: string;
  /** null when the file has no audio stream. */
  audioCodec: string | null;
  /** The container's declared frame count of the video stream, when it declares one. */
  declaredFrameCount: number | null;
}

/**
 * How frames are taken from the video and grouped into windows. A window is `windowFrames`
 * sampled frames; sampled frames are every `frameStride`-th frame of the video resampled to
 * `samplingFps`; consecutive windows start `windowStrideFrames` sampled frames apart.
 * TimeSformer-L: 96 × 4 at 30 fps, a 12.8 s window, stride 48 (6.4 s).
 */
export interface SamplingParams {
  samplingFps: number;
  frameStride: number;
  windowFrames: number;
  windowStrideFrames: number;
  /** Square model input, pixels: the short side is resized to it, then centre-cropped. */
  imageSize: number;
}

/** pixel_values = (rgb * rescale - mean) / std, per channel (HF preprocessor_config names). */
export interface Normalization {
  rescale: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface ScoredLabel {
  label: string;
  /** Index into the model's labels. */
  index: number;
  /** Softmax probability 0..1 unless said otherwise. */
  score: number;
}

/** The rollout heatmap of one window, per sampled frame, at patch resolution, as bytes. */
export interface CompactHeatmap {
  /** Sampled frames (the window's frames), patch rows, patch columns. */
  frames: number;
  height: number;
  width: number;
  /** frames × height × width bytes, row-major; value / 255 × `maximum` is the rollout value. */
  data: Uint8Array;
  /** The largest value in the window (bytes are scaled to it). */
  maximum: number;
}

/** The model's output for one window, as stored and as streamed to the UI. */
export interface WindowResult {
  index: number;
  /** First sampled frame (index into the sampled sequence). */
  startFrame: number;
  /** Sampled frames that came from the video; fewer than windowFrames only in a padded last window. */
  realFrames: number;
  /** The last window, short of frames, was padded by repeating its last frame. */
  padded: boolean;
  /** Decoder timestamp of each real sampled frame, seconds. */
  frameTimes: number[];
  /** Time the window covers: first frame's time to the last real frame's time plus one sampled frame. */
  startSeconds: number;
  endSeconds: number;
  /** One per class, raw (before softmax). */
  logits: number[];
  heatmap: CompactHeatmap;
}

/** How window scores become a per-time score and how that becomes segments. */
export interface SegmentationParams {
  /** 'mean-softmax': average of each covering window's softmax. 'sum-logits': softmax of the averaged logits (the official test protocol sums logits). */
  scores: 'mean-softmax' | 'sum-logits';
  /** Moving-average width, seconds; 0 turns smoothing off. */
  smoothingSeconds: number;
  /** A segment opens when its class's score reaches `enterThreshold`, and lasts while it stays at or above `exitThreshold`. */
  enterThreshold: number;
  exitThreshold: number;
  /** Shorter segments are absorbed by a neighbour or dropped, seconds. */
  minDurationSeconds: number;
  /** Same-label segments this close are merged, seconds. */
  mergeGapSeconds: number;
}

export interface Segment {
  startSeconds: number;
  endSeconds: number;
  /** Frame indices at the video's average frame rate: first frame inside, first frame after. */
  startFrame: number;
  endFrame: number;
  label: string;
  labelIndex: number;
  /** Mean score of the label over the segment, duration-weighted. */
  confidence: number;
  /** The next three classes by mean score over the segment. */
  alternatives: ScoredLabel[];
}
