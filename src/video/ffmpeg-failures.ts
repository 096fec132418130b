/**
 * Turns what ffmpeg or ffprobe printed when they failed into one classified error a user can act
 * on. Pure: the caller hands over the stderr lines it kept.
 *
 * ffmpeg's exit codes say nothing useful (0, 1 and 69 all occur for the same damage), so the
 * verdict comes from its messages. The rules are checked in order, most specific first: a
 * refused playlist also produces "Invalid argument", a too-large picture also produces
 * "Invalid data", and the specific cause is what the user needs to hear.
 */
import { LongviewError } from '../shared/errors.js';
import { MAX_PICTURE_AREA_SIDE, MAX_STREAMS } from './limits.js';

export interface FailureContext {
  /** The file as the user should see it named. */
  path: string;
  /** Which tool failed: the wording differs slightly (reading the file vs decoding it). */
  stage: 'probe' | 'decode';
  /** The file starts like an MP4 ('ftyp' box), so a missing index means a cut-off recording. */
  looksLikeMp4?: boolean;
}

interface Rule {
  pattern: RegExp;
  error: (context: FailureContext, line: string) => LongviewError;
}

const RULES: readonly Rule[] = [
  {
    // Options Longview relies on (-fps_mode needs FFmpeg 5.1) unknown to an older ffmpeg: not the video's fault.
    pattern: /Unrecognized option|Option not found/i,
    error: (_context, line) =>
      new LongviewError(
        'backend',
        'ffmpeg-too-old',
        `the ffmpeg in use does not know an option Longview needs (${printable(line).trim().slice(0, 120)}); install FFmpeg 5.1 or newer, or point FFMPEG_PATH at one.`,
      ),
  },
  {
    pattern: /Format not on whitelist/i,
    error: ({ path }, line) =>
      new LongviewError(
        'input',
        'unsupported-container',
        `${path} is not a video container Longview opens${describeDemuxer(line)}: it may be a playlist or a list of other files, which are refused for safety; convert it to MP4 or MKV first.`,
      ),
  },
  {
    pattern: /Protocol '[^']*' not on whitelist/i,
    error: ({ path }) =>
      new LongviewError(
        'input',
        'unsupported-container',
        `${path} refers to other files or network addresses, which are refused for safety; convert it to a self-contained MP4 or MKV first.`,
      ),
  },
  {
    pattern: /exceeds specified max pixel count|Picture size \d+x\d+ is invalid/i,
    error: ({ path }) =>
      new LongviewError('input', 'too-large', `${path} declares a picture larger than Longview decodes (more than ${MAX_PICTURE_AREA_SIDE}×${MAX_PICTURE_AREA_SIDE} pixels); scale it down with ffmpeg first.`),
  },
  {
    pattern: /exceeds max_streams/i,
    error: ({ path }) =>
      new LongviewError('input', 'too-many-streams', `${path} holds more streams than Longview opens (${MAX_STREAMS}); keep only the video stream with ffmpeg first.`),
  },
  {
    pattern: /matches no streams|does not contain any stream/i,
    error: ({ path }) => new LongviewError('input', 'no-video-stream', `${path} has no video stream (it may be an audio file); choose a video file.`),
  },
  {
    pattern: /moov atom not found/i,
    error: ({ path, looksLikeMp4 }) =>
      looksLikeMp4 === true
        ? new LongviewError(
            'input',
            'incomplete',
            `${path} is an MP4 whose index (the moov atom) is missing, as happens when a recording is cut off; it cannot be read as it is, so re-export it or repair it with a tool such as untrunc.`,
          )
        : notAVideo(path),
  },
  {
    pattern: /File ended prematurely|partial file/i,
    error: ({ path }) => new LongviewError('input', 'incomplete', `${path} ends before its first readable frame (it may be an unfinished download or recording); use a complete copy.`),
  },
  {
    pattern: /Invalid data found when processing input|could not find codec parameters|EBML header parsing failed|Unknown format/i,
    error: ({ path }) => notAVideo(path),
  },
  {
    pattern: /Permission denied/i,
    error: ({ path }) => new LongviewError('input', 'unreadable', `${path} cannot be read (permission denied); check the file's permissions.`),
  },
  {
    pattern: /No such file or directory/i,
    error: ({ path }) => new LongviewError('input', 'not-found', `${path} does not exist (it may have been moved or deleted); choose the file again.`),
  },
];

/** The most specific error the lines support, or a general one quoting ffmpeg's last words. */
export function classifyFailure(stderrLines: readonly string[], context: FailureContext): LongviewError {
  const specific = recognizeFailure(stderrLines, context);
  if (specific !== undefined) return specific;
  const last = lastMeaningfulLine(stderrLines);
  const said = last === undefined ? '' : ` (ffmpeg said: "${last}")`;
  return context.stage === 'probe'
    ? new LongviewError('input', 'unreadable', `${context.path} could not be read as a video${said}; check that it plays in a video player.`)
    : new LongviewError('input', 'no-frames', `${context.path} gave no frames when decoded${said}; check that it plays in a video player.`);
}

/**
 * The error named by the first rule any line matches, or undefined. Also used when a tool exited
 * 0 but said why its answer is hollow (ffprobe reports a refused picture as 0×0).
 */
export function recognizeFailure(stderrLines: readonly string[], context: FailureContext): LongviewError | undefined {
  for (const rule of RULES) {
    const line = stderrLines.find((candidate) => rule.pattern.test(candidate));
    if (line !== undefined) return rule.error(context, line);
  }
  return undefined;
}

/** The last non-empty stderr line, clipped and stripped of control characters, for quoting. */
export function lastMeaningfulLine(stderrLines: readonly string[]): string | undefined {
  for (let position = stderrLines.length - 1; position >= 0; position--) {
    const line = printable(stderrLines[position] ?? '').trim();
    if (line !== '') return line.length > 200 ? `${line.slice(0, 200)}…` : line;
  }
  return undefined;
}

function notAVideo(path: string): LongviewError {
  return new LongviewError('input', 'not-a-video', `${path} is not a video file Longview can read (its contents are not a known video format); choose a video file.`);
}

/** ", which ffmpeg recognised as hls" from "[hls,applehttp @ 0x…] Format not on whitelist …". */
function describeDemuxer(line: string): string {
  const match = /^\[([a-z0-9_]+)[^\]@]*@/i.exec(line);
  return match === null ? '' : ` (ffmpeg recognised it as "${match[1]}")`;
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
