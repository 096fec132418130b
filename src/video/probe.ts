/**
 * Asks ffprobe what a video file is. The I/O edge of probing: check the path, run ffprobe under
 * supervision with a deadline, and hand its output to the pure judges (probe-parsing.ts on
 * success, ffmpeg-failures.ts on failure). Every error a file can cause is a LongviewError of
 * kind 'input'.
 */
import type { VideoInfo } from '../shared/analysis.js';
import { LongviewError } from '../shared/errors.js';
import { cancelledError } from '../shared/cancellation.js';
import { classifyFailure, recognizeFailure, type FailureContext } from './ffmpeg-failures.js';
import { checkInputFile } from './input-file.js';
import { DEFAULT_PROBE_TIMEOUT_MS } from './limits.js';
import { probeArguments } from './probe-arguments.js';
import { parseProbe } from './probe-parsing.js';
import { superviseProcess } from './supervised-process.js';
import type { FfmpegTools } from './tools.js';

export { parseProbe } from './probe-parsing.js';

export interface ProbeOptions {
  tools: FfmpegTools;
  signal?: AbortSignal;
  /** Milliseconds before ffprobe is killed; default 30 000. */
  timeoutMs?: number;
}

/** ffprobe's JSON for one file with at most MAX_STREAMS streams is a few tens of kB; more is not a report we want. */
const MAX_REPORT_BYTES = 4 * 1024 * 1024;

export async function probeVideo(path: string, options: ProbeOptions): Promise<VideoInfo> {
  if (options.signal?.aborted) throw cancelledError(`Reading ${path}`, options.signal.reason);
  const file = checkInputFile(path);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;

  const child = superviseProcess(options.tools.ffprobe.path, probeArguments(file.absolutePath), { signal: options.signal, timeoutMs });
  const report = collectReport(child.stdout, () => child.kill('stopped'));
  const outcome = await child.finished;

  if (outcome.spawnError !== null) {
    throw new LongviewError('backend', 'no-ffmpeg', `ffprobe (${options.tools.ffprobe.path}) could not be started: ${outcome.spawnError.message}; reinstall FFmpeg or set FFPROBE_PATH.`, {
      cause: outcome.spawnError,
    });
  }
  if (outcome.killedBecause === 'aborted') throw cancelledError(`Reading ${file.absolutePath}`, options.signal?.reason);
  if (outcome.killedBecause === 'timeout') {
    throw new LongviewError(
      'input',
      'probe-timeout',
      `Reading ${file.absolutePath} took longer than ${timeoutMs / 1000} s, so it was stopped; the file may be damaged or on a slow or stalled drive.`,
    );
  }
  if (report.tooLarge) {
    throw new LongviewError('input', 'unreadable', `${file.absolutePath} made ffprobe write an unexpectedly large report, so it was refused; check that it is an ordinary video file.`);
  }
  const failureContext: FailureContext = { path: file.absolutePath, stage: 'probe', looksLikeMp4: file.looksLikeMp4 };
  if (outcome.exitCode !== 0) throw classifyFailure(outcome.stderrTail, failureContext);
  try {
    return parseProbe(Buffer.concat(report.chunks).toString('utf8'), file.absolutePath, file.sizeBytes);
  } catch (error) {
    // ffprobe exits 0 with a 0×0 picture when -max_pixels refused it; its message is the better verdict.
    const stated = recognizeFailure(outcome.stderrTail, failureContext);
    throw error instanceof LongviewError && error.reason === 'bad-dimensions' && stated !== undefined ? stated : error;
  }
}

interface Report {
  chunks: Buffer[];
  tooLarge: boolean;
}

/** Gathers stdout up to MAX_REPORT_BYTES; past that, stops the child instead of buffering on. */
function collectReport(stdout: NodeJS.ReadableStream, stop: () => void): Report {
  const report: Report = { chunks: [], tooLarge: false };
  let size = 0;
  stdout.on('data', (chunk: Buffer) => {
    if (report.tooLarge) return;
    size += chunk.length;
    if (size > MAX_REPORT_BYTES) {
      report.tooLarge = true;
      report.chunks = [];
      stop();
    } else {
      report.chunks.push(chunk);
    }
  });
  return report;
}

