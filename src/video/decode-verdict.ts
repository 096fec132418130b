/**
 * Decides what a finished decode means: a complete video, a partial one (frames delivered, but the
 * file is damaged or ends early, or the caller stopped), or a failure. Pure.
 *
 * ffmpeg's exit status alone cannot tell: a truncated WebM decodes half its frames and exits 0
 * with only a "File ended prematurely" line. So three things are weighed together: how ffmpeg
 * ended, what it complained about, and whether the last frame's time reaches the duration the
 * probe promised.
 */
import { LongviewError } from '../shared/errors.js';
import { cancelledError } from '../shared/cancellation.js';
import type { DecodeSummary } from './decode-types.js';
import { classifyFailure, lastMeaningfulLine } from './ffmpeg-failures.js';
import type { KillReason } from './supervised-process.js';

export interface DecodeEnding {
  framesDelivered: number;
  lastFrameSeconds: number | null;
  exitCode: number | null;
  signal: string | null;
  killedBecause: KillReason | null;
  spawnError: Error | null;
  /** ffmpeg's last stderr lines, per-frame chatter left out. */
  stderrTail: string[];
  /** stderr lines that report damage (see isDamageLine), from the whole run. */
  damageLines: string[];
  framesWithoutTime: number;
  trailingBytes: number;
}

export interface DecodeContext {
  path: string;
  ffmpegPath: string;
  /** The probed duration; 0 when unknown. */
  durationSeconds: number;
  /** Seconds between sampled frames: frameStride ÷ samplingFps. */
  samplePeriodSeconds: number;
  firstFrame: number;
  looksLikeMp4: boolean;
  /** The abort signal's reason, kept as the cancellation's cause. */
  abortReason?: unknown;
  stallTimeoutMs: number;
}

/** Messages ffmpeg prints about broken input; header and metadata lines (indented) never count. */
const DAMAGE = /File ended prematurely|partial file|Invalid data found|corrupt input packet|Packet corrupt|Error while decoding|Invalid NAL unit|Error splitting the input|missing picture in access unit|Truncating packet|Packet mismatch|error while decoding MB/i;

export function isDamageLine(line: string): boolean {
  return !/^\s/.test(line) && !/^(Input|Output) #/.test(line) && DAMAGE.test(line);
}

/** The summary of a decode that delivered what it could, or the LongviewError it ended with. */
export function judgeDecode(ending: DecodeEnding, context: DecodeContext): DecodeSummary {
  if (ending.spawnError !== null) {
    throw new LongviewError('backend', 'no-ffmpeg', `ffmpeg (${context.ffmpegPath}) could not be started: ${ending.spawnError.message}; reinstall FFmpeg or set FFMPEG_PATH.`, {
      cause: ending.spawnError,
    });
  }
  if (ending.killedBecause === 'aborted') {
    throw cancelledError(`Decoding ${context.path}`, context.abortReason);
  }
  if (ending.killedBecause === 'stalled') {
    throw new LongviewError(
      'input',
      'decoder-stalled',
      `Decoding ${context.path} made no progress for ${context.stallTimeoutMs / 1000} s and was stopped; the file may be damaged or its drive unresponsive, so try a re-encoded copy.`,
    );
  }

  const warnings = warningsOf(ending);
  const stopped = ending.killedBecause !== null;
  if (ending.framesDelivered === 0 && !stopped) {
    if (context.firstFrame > 0 && ending.exitCode === 0) {
      return { framesDelivered: 0, lastFrameSeconds: null, partial: false, partialReason: null, warnings: [...warnings, `no sampled frame at or after frame ${context.firstFrame}`] };
    }
    throw classifyFailure([...ending.damageLines, ...ending.stderrTail], { path: context.path, stage: 'decode', looksLikeMp4: context.looksLikeMp4 });
  }

  const partialReason = partialReasonOf(ending, context);
  return { framesDelivered: ending.framesDelivered, lastFrameSeconds: ending.lastFrameSeconds, partial: partialReason !== null, partialReason, warnings };
}

function partialReasonOf(ending: DecodeEnding, context: DecodeContext): string | null {
  const decoded = decodedText(ending.lastFrameSeconds, context);
  if (ending.killedBecause !== null) return `decoding was stopped before the end: ${decoded}`;

  const end = context.durationSeconds;
  const shortfall = ending.lastFrameSeconds === null ? end : end - ending.lastFrameSeconds;
  // A complete decode's last sampled frame lies within one sample period of the end.
  if (end > 0 && shortfall > Math.max(1, 2 * context.samplePeriodSeconds)) return `the file ends early: ${decoded}`;

  if (ending.exitCode !== 0) {
    const how = ending.exitCode === null ? `was ended by ${ending.signal ?? 'a signal'}` : `exited with status ${ending.exitCode}`;
    const said = lastMeaningfulLine(ending.damageLines.length > 0 ? ending.damageLines : ending.stderrTail);
    return `ffmpeg ${how}${said === undefined ? '' : ` ("${said}")`}: ${decoded}`;
  }
  const damage = lastMeaningfulLine(ending.damageLines.slice(0, 1));
  if (damage !== undefined) return `the file is damaged ("${damage}"): ${decoded}`;
  return null;
}

/** "decoded 12.0 of 30.0 s", or "decoded 12.0 s" when the duration is unknown. */
function decodedText(lastFrameSeconds: number | null, context: DecodeContext): string {
  const reached = lastFrameSeconds === null ? 0 : lastFrameSeconds + context.samplePeriodSeconds;
  const total = context.durationSeconds;
  return total > 0 ? `decoded ${Math.min(reached, total).toFixed(1)} of ${total.toFixed(1)} s` : `decoded ${reached.toFixed(1)} s`;
}

function warningsOf(ending: DecodeEnding): string[] {
  const warnings = [...new Set(ending.damageLines)].slice(0, 10).map((line) => lastMeaningfulLine([line]) ?? line);
  if (ending.framesWithoutTime > 0) warnings.push(`${ending.framesWithoutTime} frame(s) arrived without a timestamp and were dropped`);
  if (ending.trailingBytes > 0) warnings.push(`${ending.trailingBytes} bytes after the last whole frame were dropped`);
  return warnings;
}
