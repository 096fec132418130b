/** What a finished decode means: complete, partial (and why), or which failure. */
import { describe, expect, it } from 'vitest';
import { LongviewError } from '../../src/shared/errors.js';
import { isDamageLine, judgeDecode, type DecodeContext, type DecodeEnding } from '../../src/video/decode-verdict.js';

/** A clean run over a 30 s video sampled every 0.5 s: 60 frames, the last at 29.5 s. */
function ending(overrides: Partial<DecodeEnding> = {}): DecodeEnding {
  return {
    framesDelivered: 60,
    lastFrameSeconds: 29.5,
    exitCode: 0,
    signal: null,
    killedBecause: null,
    spawnError: null,
    stderrTail: [],
    damageLines: [],
    framesWithoutTime: 0,
    trailingBytes: 0,
    ...overrides,
  };
}

const context: DecodeContext = {
  path: '/videos/a.webm',
  ffmpegPath: '/usr/bin/ffmpeg',
  durationSeconds: 30,
  samplePeriodSeconds: 0.5,
  firstFrame: 0,
  looksLikeMp4: false,
  stallTimeoutMs: 30_000,
};

function failure(end: DecodeEnding, overrides: Partial<DecodeContext> = {}): LongviewError {
  try {
    judgeDecode(end, { ...context, ...overrides });
  } catch (error) {
    if (error instanceof LongviewError) return error;
    throw error;
  }
  throw new Error('judged a success');
}

describe('judgeDecode', () => {
  it('calls a clean run complete', () => {
    expect(judgeDecode(ending(), context)).toEqual({ framesDelivered: 60, lastFrameSeconds: 29.5, partial: false, partialReason: null, warnings: [] });
  });

  it.each([
    { case: 'a last frame within two sample periods of the end', end: { lastFrameSeconds: 29 }, overrides: {} },
    { case: 'an unknown duration', end: { lastFrameSeconds: 3 }, overrides: { durationSeconds: 0 } },
    { case: 'a short gap under the 1 s floor at a fast rate', end: { lastFrameSeconds: 29.2 }, overrides: { samplePeriodSeconds: 0.1 } },
  ])('is complete with $case', ({ end, overrides }) => {
    expect(judgeDecode(ending(end), { ...context, ...overrides }).partial).toBe(false);
  });

  it.each([
    {
      case: 'the file ends early (clean exit, as a truncated WebM does)',
      end: { framesDelivered: 24, lastFrameSeconds: 11.5, damageLines: ['[matroska,webm @ 0x5] File ended prematurely'] },
      reason: 'the file ends early: decoded 12.0 of 30.0 s',
    },
    {
      case: 'ffmpeg failed after some frames',
      end: { exitCode: 1, stderrTail: ['Error while decoding stream #0:0: Invalid data found when processing input', 'Conversion failed!'] },
      reason: 'ffmpeg exited with status 1 ("Conversion failed!"): decoded 30.0 of 30.0 s',
    },
    {
      case: 'ffmpeg was killed by someone else',
      end: { exitCode: null, signal: 'SIGSEGV' },
      reason: 'ffmpeg was ended by SIGSEGV: decoded 30.0 of 30.0 s',
    },
    {
      case: 'damage reported but the end reached',
      end: { damageLines: ['[h264 @ 0x5] error while decoding MB 3 4, bytestream -5', '[h264 @ 0x5] concealing 20 errors'] },
      reason: 'the file is damaged ("[h264 @ 0x5] error while decoding MB 3 4, bytestream -5"): decoded 30.0 of 30.0 s',
    },
    {
      case: 'the caller stopped it',
      end: { framesDelivered: 10, lastFrameSeconds: 4.5, exitCode: null, signal: 'SIGKILL', killedBecause: 'stopped' as const },
      reason: 'decoding was stopped before the end: decoded 5.0 of 30.0 s',
    },
  ])('is partial when $case', ({ end, reason }) => {
    const summary = judgeDecode(ending(end), context);
    expect(summary.partial).toBe(true);
    expect(summary.partialReason).toBe(reason);
  });

  it('says "decoded N s" when the duration is unknown', () => {
    const summary = judgeDecode(ending({ exitCode: 1 }), { ...context, durationSeconds: 0 });
    expect(summary.partialReason).toBe('ffmpeg exited with status 1: decoded 30.0 s');
  });

  it('lists damage and leftovers as warnings, each damage line once', () => {
    const line = '[matroska,webm @ 0x5] File ended prematurely';
    const summary = judgeDecode(ending({ damageLines: [line, line], framesWithoutTime: 2, trailingBytes: 100 }), context);
    expect(summary.warnings).toEqual([line, '2 frame(s) arrived without a timestamp and were dropped', '100 bytes after the last whole frame were dropped']);
  });

  it.each([
    { case: 'an abort', end: { killedBecause: 'aborted' as const, exitCode: null, signal: 'SIGKILL' }, kind: 'usage', reason: 'cancelled' },
    { case: 'a stall', end: { killedBecause: 'stalled' as const, exitCode: null, signal: 'SIGKILL', framesDelivered: 3 }, kind: 'input', reason: 'decoder-stalled' },
    { case: 'ffmpeg not starting', end: { spawnError: new Error('spawn /usr/bin/ffmpeg ENOENT'), exitCode: null }, kind: 'backend', reason: 'no-ffmpeg' },
    { case: 'no frames and no explanation', end: { framesDelivered: 0, lastFrameSeconds: null, exitCode: 0 }, kind: 'input', reason: 'no-frames' },
    {
      case: 'no frames from a file with no video',
      end: { framesDelivered: 0, lastFrameSeconds: null, exitCode: 1, stderrTail: ["Stream map '0:V:0' matches no streams."] },
      kind: 'input',
      reason: 'no-video-stream',
    },
    {
      case: 'no frames from a truncated file',
      end: { framesDelivered: 0, lastFrameSeconds: null, exitCode: 1, damageLines: ['[mov @ 0x5] stream 0, offset 0x2366: partial file'] },
      kind: 'input',
      reason: 'incomplete',
    },
  ])('fails on $case', ({ end, kind, reason }) => {
    expect(failure(ending(end))).toMatchObject({ kind, reason });
  });

  it('keeps the abort reason as the cause and names the file', () => {
    const why = new Error('user closed the window');
    const error = failure(ending({ killedBecause: 'aborted' }), { abortReason: why });
    expect(error.cause).toBe(why);
    expect(error.message).toBe('Decoding /videos/a.webm was cancelled.');
  });

  it('says how long the stall lasted', () => {
    expect(failure(ending({ killedBecause: 'stalled' }), { stallTimeoutMs: 5000 }).message).toMatch(/no progress for 5 s/);
  });

  it('accepts an empty resumed run that starts past the end', () => {
    const summary = judgeDecode(ending({ framesDelivered: 0, lastFrameSeconds: null }), { ...context, firstFrame: 500 });
    expect(summary).toMatchObject({ framesDelivered: 0, partial: false });
    expect(summary.warnings).toEqual(['no sampled frame at or after frame 500']);
  });
});

describe('isDamageLine', () => {
  it.each([
    ['[matroska,webm @ 0x55c97fe0b280] File ended prematurely', true],
    ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5] stream 0, offset 0x2366: partial file', true],
    ['file:/tmp/vt/truncfast.mp4: corrupt input packet in stream 0', true],
    ['Error while decoding stream #0:0: Invalid data found when processing input', true],
    ['[h264 @ 0x5] Invalid NAL unit size (458 > 94).', true],
    ["Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/videos/corrupt input packet.mp4':", false],
    ['    title           : File ended prematurely', false],
    ['Stream mapping:', false],
  ])('%s → %s', (line, expected) => {
    expect(isDamageLine(line)).toBe(expected);
  });
});
