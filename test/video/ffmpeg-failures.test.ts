/** What ffmpeg's and ffprobe's complaints mean for the user. */
import { describe, expect, it } from 'vitest';
import { classifyFailure, lastMeaningfulLine, recognizeFailure } from '../../src/video/ffmpeg-failures.js';

const probe = { path: '/videos/x.mp4', stage: 'probe' as const };

describe('classifyFailure', () => {
  it.each([
    { case: 'a refused HLS playlist', lines: ["[hls @ 0x563349b11a00] Format not on whitelist 'mov,matroska'", 'file:/videos/x.mp4: Invalid argument'], reason: 'unsupported-container', mentions: /"hls".*playlist/ },
    { case: 'a refused HLS playlist (ffprobe 4)', lines: ["[hls,applehttp @ 0x3c51e680] Format not on whitelist 'mov'"], reason: 'unsupported-container', mentions: /"hls"/ },
    { case: 'a refused concat list', lines: ["[concat @ 0x5631442fda00] Format not on whitelist 'mov'"], reason: 'unsupported-container', mentions: /"concat"/ },
    { case: 'a refused protocol', lines: ["[hls @ 0x1] Protocol 'http' not on whitelist 'file'!"], reason: 'unsupported-container', mentions: /other files or network/ },
    { case: 'a picture over the pixel limit', lines: ['[ffv1 @ 0x5] [IMGUTILS @ 0x7] Picture size 16000x16000 exceeds specified max pixel count 67108864', 'Invalid data found when processing input'], reason: 'too-large', mentions: /8192×8192/ },
    { case: 'an impossible picture size', lines: ['[h264 @ 0x5] [IMGUTILS @ 0x7] Picture size 40000x40000 is invalid'], reason: 'too-large', mentions: /larger/ },
    { case: 'too many streams', lines: ['[matroska,webm @ 0x5] Number of streams exceeds max_streams parameter (100), see the documentation', 'many.mkv: Cannot allocate memory'], reason: 'too-many-streams', mentions: /100/ },
    { case: 'no video to map', lines: ["Stream map '0:V:0' matches no streams.", "To ignore this, add a trailing '?' to the map."], reason: 'no-video-stream', mentions: /no video stream/ },
    { case: 'a missing moov in a file that is not an MP4', lines: ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5] moov atom not found', 'x.mp4: Invalid data found when processing input'], reason: 'not-a-video', mentions: /not a video file/ },
    { case: 'a truncated WebM', lines: ['[matroska,webm @ 0x5] File ended prematurely'], reason: 'incomplete', mentions: /ends before/ },
    { case: 'a partial MP4', lines: ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5] stream 0, offset 0x219b: partial file'], reason: 'incomplete', mentions: /unfinished/ },
    { case: 'random bytes', lines: ['file:/videos/x.mp4: Invalid data found when processing input'], reason: 'not-a-video', mentions: /not a video file/ },
    { case: 'a permission problem', lines: ['file:/videos/x.mp4: Permission denied'], reason: 'unreadable', mentions: /permission/ },
    { case: 'a vanished file', lines: ['file:/videos/x.mp4: No such file or directory'], reason: 'not-found', mentions: /does not exist/ },
  ])('$case → $reason', ({ lines, reason, mentions }) => {
    const error = classifyFailure(lines, probe);
    expect(error).toMatchObject({ kind: 'input', reason });
    expect(error.message).toMatch(mentions);
    expect(error.message).toContain('/videos/x.mp4');
  });

  it('an ffmpeg older than 5.1 is a backend problem that says which version to install', () => {
    const error = classifyFailure(["Unrecognized option 'fps_mode'.", 'Error splitting the argument list: Option not found'], { ...probe, stage: 'decode' });
    expect(error).toMatchObject({ kind: 'backend', reason: 'ffmpeg-too-old' });
    expect(error.message).toMatch(/fps_mode.*FFmpeg 5\.1 or newer/);
  });

  it('calls a missing moov in an MP4 an incomplete recording', () => {
    const error = classifyFailure(['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5] moov atom not found'], { ...probe, looksLikeMp4: true });
    expect(error.reason).toBe('incomplete');
    expect(error.message).toMatch(/cut off/);
  });

  it('prefers the specific cause over the generic one that follows it', () => {
    const lines = ['x.mp4: Invalid data found when processing input', '[ffv1 @ 0x1] Picture size 9000x9000 exceeds specified max pixel count 67108864'];
    expect(classifyFailure(lines, probe).reason).toBe('too-large');
  });

  it.each([
    { stage: 'probe' as const, reason: 'unreadable', mentions: /could not be read as a video \(ffmpeg said: "something odd"\)/ },
    { stage: 'decode' as const, reason: 'no-frames', mentions: /gave no frames when decoded \(ffmpeg said: "something odd"\)/ },
  ])('quotes the last words when nothing is recognised ($stage)', ({ stage, reason, mentions }) => {
    const error = classifyFailure(['', 'something odd', '  '], { path: '/videos/x.mp4', stage });
    expect(error).toMatchObject({ kind: 'input', reason });
    expect(error.message).toMatch(mentions);
  });

  it('has nothing to recognise in ordinary lines', () => {
    expect(recognizeFailure(['Input #0, mov,mp4,m4a,3gp,3g2,mj2', 'Stream mapping:'], probe)).toBeUndefined();
  });
});

describe('lastMeaningfulLine', () => {
  it.each([
    { case: 'the last non-blank line', lines: ['a', 'b', '   '], expected: 'b' },
    { case: 'control characters made spaces', lines: ['bad\u0007bell\u001b[31m'], expected: 'bad bell [31m' },
    { case: 'a long line clipped', lines: ['y'.repeat(300)], expected: `${'y'.repeat(200)}…` },
    { case: 'nothing at all', lines: [], expected: undefined },
  ])('$case', ({ lines, expected }) => {
    expect(lastMeaningfulLine(lines)).toBe(expected);
  });
});
