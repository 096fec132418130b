/**
 * Judges ffprobe's JSON and makes it a sane `VideoInfo`. Pure, so every odd case (missing or
 * "N/A" fields, "0/0" rates, rotation in side data or in the legacy tag, anamorphic pixels,
 * variable frame rate, hostile dimensions) is a table-driven test.
 *
 * ffprobe reports what the container claims; claims can be absent or absurd. The result never
 * holds NaN: an unknown duration or rate is 0.
 */
import type { VideoInfo } from '../shared/analysis.js';
import { LongviewError } from '../shared/errors.js';
import { MAX_PICTURE_AREA_SIDE, MAX_PICTURE_PIXELS, MAX_PICTURE_SIDE } from './limits.js';

/** Average and real frame rates further apart than this fraction make a video variable-rate. */
const VARIABLE_RATE_TOLERANCE = 0.01;

type JsonObject = Record<string, unknown>;

/** @param json ffprobe's `-of json` output, as text or already parsed. */
export function parseProbe(json: unknown, path: string, sizeBytes: number): VideoInfo {
  const root = asObject(typeof json === 'string' ? parseJson(json, path) : json);
  const streams = Array.isArray(root?.streams) ? root.streams.map(asObject).filter((stream) => stream !== undefined) : undefined;
  if (root === undefined || streams === undefined) {
    throw new LongviewError('input', 'unreadable', `${path} could not be read as a video (ffprobe gave no stream list); check that it plays in a video player.`);
  }
  const format = asObject(root.format) ?? {};

  const video = streams.find((stream) => stream.codec_type === 'video' && asObject(stream.disposition)?.attached_pic !== 1);
  if (video === undefined) {
    throw new LongviewError('input', 'no-video-stream', `${path} has no video stream (it may be an audio file); choose a video file.`);
  }
  const audio = streams.find((stream) => stream.codec_type === 'audio');

  const storedWidth = numberOf(video.width);
  const storedHeight = numberOf(video.height);
  checkDimensions(storedWidth, storedHeight, path);

  const rotation = rotationOf(video);
  const aspect = pixelAspectOf(video.sample_aspect_ratio);
  // A non-square pixel stretches the width as displayed; rotation then swaps the sides.
  const shownWidth = Math.max(1, Math.round(storedWidth * aspect));
  const quarterTurn = rotation === 90 || rotation === 270;

  const declaredFrameCount = wholeNumberOf(video.nb_frames);
  const averageRate = positiveOr(rateOf(video.avg_frame_rate), 0);
  const realRate = positiveOr(rateOf(video.r_frame_rate), 0);
  const durationSeconds = durationOf(format, video, declaredFrameCount, averageRate || realRate);
  const averageFrameRate = averageRate || realRate || (declaredFrameCount !== null && durationSeconds > 0 ? declaredFrameCount / durationSeconds : 0);
  const realFrameRate = realRate || averageFrameRate;

  return {
    path,
    sizeBytes,
    formatName: textOf(format.format_name) ?? 'unknown',
    durationSeconds,
    videoDurationSeconds: positiveOr(numberOf(video.duration), 0) || null,
    startSeconds: finiteOr(numberOf(video.start_time), finiteOr(numberOf(format.start_time), 0)),
    averageFrameRate,
    realFrameRate,
    variableFrameRate: ratesDisagree(averageFrameRate, realFrameRate),
    width: quarterTurn ? storedHeight : shownWidth,
    height: quarterTurn ? shownWidth : storedHeight,
    rotation,
    videoCodec: textOf(video.codec_name) ?? 'unknown',
    audioCodec: audio === undefined ? null : (textOf(audio.codec_name) ?? 'unknown'),
    declaredFrameCount,
  };
}

function checkDimensions(width: number, height: number, path: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new LongviewError('input', 'bad-dimensions', `${path} does not declare a usable picture size; the file is damaged or not a video.`);
  }
  if (width > MAX_PICTURE_SIDE || height > MAX_PICTURE_SIDE || width * height > MAX_PICTURE_PIXELS) {
    throw new LongviewError(
      'input',
      'too-large',
      `${path} declares ${width}×${height} pixels, more than Longview decodes (at most ${MAX_PICTURE_SIDE} pixels a side and ${MAX_PICTURE_AREA_SIDE}×${MAX_PICTURE_AREA_SIDE} in area); scale it down with ffmpeg first.`,
    );
  }
}

/**
 * Degrees clockwise, one of 0/90/180/270. The display matrix (side data) says how far to turn
 * counter-clockwise; the legacy `rotate` tag (older ffprobe) says clockwise. A turn that is not
 * within a degree of a quarter turn is reported as 0: ffmpeg keeps such pictures' size.
 */
function rotationOf(stream: JsonObject): number {
  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list.map(asObject) : [];
  const matrixTurn = sideData.map((entry) => numberOf(entry?.rotation)).find(Number.isFinite);
  const clockwise = matrixTurn !== undefined ? -matrixTurn : numberOf(asObject(stream.tags)?.rotate);
  if (!Number.isFinite(clockwise)) return 0;
  const normalized = ((clockwise % 360) + 360) % 360;
  const quarter = Math.round(normalized / 90) * 90;
  return Math.abs(normalized - quarter) <= 1 ? quarter % 360 : 0;
}

/** "4:3" → 1.333; unknown ("0:1", "N/A", absent) or absurd → 1 (square pixels). */
function pixelAspectOf(value: unknown): number {
  const match = typeof value === 'string' ? /^(\d+):(\d+)$/.exec(value) : null;
  if (match === null) return 1;
  const aspect = Number(match[1]) / Number(match[2]);
  return Number.isFinite(aspect) && aspect >= 0.1 && aspect <= 10 ? aspect : 1;
}

/** Container duration, else the stream's, else frames ÷ rate, else 0 (unknown). */
function durationOf(format: JsonObject, video: JsonObject, frameCount: number | null, rate: number): number {
  const fromFormat = positiveOr(numberOf(format.duration), 0);
  if (fromFormat > 0) return fromFormat;
  const fromStream = positiveOr(numberOf(video.duration), 0);
  if (fromStream > 0) return fromStream;
  return frameCount !== null && frameCount > 0 && rate > 0 ? frameCount / rate : 0;
}

function ratesDisagree(average: number, real: number): boolean {
  if (average <= 0 || real <= 0) return false;
  return Math.abs(average - real) / Math.max(average, real) > VARIABLE_RATE_TOLERANCE;
}

/** "30000/1001" → 29.97; "0/0", "N/A" → NaN. */
function rateOf(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  return match === null ? Number.NaN : Number(match[1]) / Number(match[2]);
}

/** ffprobe writes numbers as JSON numbers or as strings ("3.000000", "N/A"). */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim())) return Number(value);
  return Number.NaN;
}

function wholeNumberOf(value: unknown): number | null {
  const number = numberOf(value);
  return Number.isSafeInteger(number) && number >= 0 ? number : null;
}

function positiveOr(value: number, fallback: number): number {
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** Short names only: codec and format names are identifiers, never prose. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, 100) : undefined;
}

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LongviewError('input', 'unreadable', `${path} could not be read as a video (ffprobe's report was not valid JSON); check that it plays in a video player.`, {
      cause: error,
    });
  }
}
