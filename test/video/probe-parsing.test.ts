/** Judging ffprobe's JSON: missing and "N/A" fields, rotation, pixel aspect, variable rate, hostile sizes. */
import { describe, expect, it } from 'vitest';
import { LongviewError } from '../../src/shared/errors.js';
import { parseProbe } from '../../src/video/probe-parsing.js';
import { claimedVideoInfo } from './test-files.js';

type Json = Record<string, unknown>;

/** ffprobe's report of a plain 3 s, 10 fps, 64×48 H.264 MP4, with overrides. */
function report(video: Json = {}, format: Json = {}, extraStreams: Json[] = []): Json {
  return {
    programs: [],
    streams: [
      {
        index: 0,
        codec_name: 'h264',
        codec_type: 'video',
        width: 64,
        height: 48,
        sample_aspect_ratio: '1:1',
        r_frame_rate: '10/1',
        avg_frame_rate: '10/1',
        start_time: '0.000000',
        duration: '3.000000',
        nb_frames: '30',
        disposition: { attached_pic: 0 },
        tags: {},
        ...video,
      },
      ...extraStreams,
    ],
    format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', start_time: '0.000000', duration: '3.000000', ...format },
  };
}

const parse = (json: unknown) => parseProbe(json, '/videos/clip.mp4', 1234);

function refusal(json: unknown): LongviewError {
  try {
    parse(json);
  } catch (error) {
    if (error instanceof LongviewError) return error;
    throw error;
  }
  throw new Error('parseProbe accepted it');
}

describe('parseProbe', () => {
  it('reads a plain video', () => {
    expect(parse(report())).toEqual(claimedVideoInfo('/videos/clip.mp4', { sizeBytes: 1234, declaredFrameCount: 30 }));
  });

  it.each([
    [{ duration: '2.5' }, 2.5],
    [{ duration: 'N/A' }, null],
    [{ duration: undefined }, null],
    [{ duration: '-1' }, null],
  ])('the video stream\'s own duration %j → %s', (video, expected) => {
    expect(parse(report(video)).videoDurationSeconds).toBe(expected);
  });

  it('accepts the report as text', () => {
    expect(parse(JSON.stringify(report())).width).toBe(64);
  });

  it.each([
    { case: 'display matrix -90 (turn clockwise)', video: { side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }, rotation: 90, size: [48, 64] },
    { case: 'display matrix 90 (turn counter-clockwise)', video: { side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }, rotation: 270, size: [48, 64] },
    { case: 'display matrix 180', video: { side_data_list: [{ rotation: 180 }] }, rotation: 180, size: [64, 48] },
    { case: 'display matrix -180', video: { side_data_list: [{ rotation: -180 }] }, rotation: 180, size: [64, 48] },
    { case: 'legacy rotate tag 90 (older ffprobe)', video: { tags: { rotate: '90' } }, rotation: 90, size: [48, 64] },
    { case: 'side data wins over the tag', video: { tags: { rotate: '270' }, side_data_list: [{ rotation: -90 }] }, rotation: 90, size: [48, 64] },
    { case: 'a nearly quarter turn', video: { side_data_list: [{ rotation: -89.9 }] }, rotation: 90, size: [48, 64] },
    { case: 'an odd angle (ffmpeg keeps the size)', video: { side_data_list: [{ rotation: 45 }] }, rotation: 0, size: [64, 48] },
    { case: 'a garbage tag', video: { tags: { rotate: 'sideways' } }, rotation: 0, size: [64, 48] },
    { case: 'side data without rotation', video: { side_data_list: [{ side_data_type: 'Stereo 3D' }] }, rotation: 0, size: [64, 48] },
  ])('rotation: $case', ({ video, rotation, size }) => {
    const info = parse(report(video));
    expect(info.rotation).toBe(rotation);
    expect([info.width, info.height]).toEqual(size);
  });

  it.each([
    { case: 'anamorphic 4:3 pixels widen the picture', video: { width: 720, height: 576, sample_aspect_ratio: '4:3' }, size: [960, 576] },
    { case: 'anamorphic and turned a quarter', video: { width: 720, height: 576, sample_aspect_ratio: '4:3', side_data_list: [{ rotation: -90 }] }, size: [576, 960] },
    { case: 'unknown aspect 0:1 means square', video: { sample_aspect_ratio: '0:1' }, size: [64, 48] },
    { case: 'N/A aspect means square', video: { sample_aspect_ratio: 'N/A' }, size: [64, 48] },
    { case: 'an absurd aspect is ignored', video: { sample_aspect_ratio: '1000:1' }, size: [64, 48] },
  ])('pixel aspect: $case', ({ video, size }) => {
    const info = parse(report(video));
    expect([info.width, info.height]).toEqual(size);
  });

  it.each([
    { case: 'container duration', video: {}, format: {}, duration: 3 },
    { case: 'no container duration: the stream’s', video: { duration: '2.5' }, format: { duration: undefined }, duration: 2.5 },
    { case: 'N/A everywhere: frames ÷ rate', video: { duration: 'N/A' }, format: { duration: 'N/A' }, duration: 3 },
    { case: 'nothing to go on: 0 (unknown)', video: { duration: undefined, nb_frames: undefined }, format: { duration: undefined }, duration: 0 },
    { case: 'a negative container duration is ignored', video: {}, format: { duration: '-5' }, duration: 3 },
    { case: 'a NaN string is ignored', video: { duration: 'nan' }, format: { duration: 'NaN' }, duration: 3 },
  ])('duration: $case', ({ video, format, duration }) => {
    const info = parse(report(video, format));
    expect(info.durationSeconds).toBe(duration);
    expect(Object.values(info).some((value) => typeof value === 'number' && Number.isNaN(value))).toBe(false);
  });

  it.each([
    { case: 'NTSC rates', video: { avg_frame_rate: '30000/1001', r_frame_rate: '30000/1001' }, average: 30000 / 1001, real: 30000 / 1001, variable: false },
    { case: 'variable rate (half the frames dropped)', video: { avg_frame_rate: '15/1', r_frame_rate: '30/1' }, average: 15, real: 30, variable: true },
    { case: 'within 1 % is constant', video: { avg_frame_rate: '2997/100', r_frame_rate: '30/1' }, average: 29.97, real: 30, variable: false },
    { case: 'no average: the real rate', video: { avg_frame_rate: '0/0' }, average: 10, real: 10, variable: false },
    { case: 'no real rate: the average', video: { r_frame_rate: '0/0' }, average: 10, real: 10, variable: false },
    { case: 'no rates: frames ÷ duration', video: { avg_frame_rate: '0/0', r_frame_rate: 'N/A' }, average: 10, real: 10, variable: false },
    { case: 'nothing: 0 (unknown)', video: { avg_frame_rate: '0/0', r_frame_rate: '0/0', nb_frames: 'N/A' }, average: 0, real: 0, variable: false },
  ])('frame rate: $case', ({ video, average, real, variable }) => {
    const info = parse(report(video));
    expect(info.averageFrameRate).toBeCloseTo(average, 9);
    expect(info.realFrameRate).toBeCloseTo(real, 9);
    expect(info.variableFrameRate).toBe(variable);
  });

  it('takes the start from the stream, else the container, else 0', () => {
    expect(parse(report({ start_time: '1.400000' })).startSeconds).toBe(1.4);
    expect(parse(report({ start_time: 'N/A' }, { start_time: '-0.007' })).startSeconds).toBe(-0.007);
    expect(parse(report({ start_time: undefined }, { start_time: undefined })).startSeconds).toBe(0);
  });

  it('reports the audio codec and no declared count when absent', () => {
    const info = parse(report({ nb_frames: undefined }, {}, [{ index: 1, codec_type: 'audio', codec_name: 'opus' }]));
    expect(info.audioCodec).toBe('opus');
    expect(info.declaredFrameCount).toBeNull();
  });

  it('skips cover art for the real video stream', () => {
    const coverFirst = report();
    const streams = coverFirst.streams as Json[];
    streams.unshift({ index: 0, codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } });
    expect(parse(coverFirst)).toMatchObject({ videoCodec: 'h264', width: 64 });
  });

  it.each([
    { case: 'audio only', json: { streams: [{ codec_type: 'audio', codec_name: 'aac' }], format: {} }, reason: 'no-video-stream' },
    { case: 'only cover art', json: { streams: [{ codec_type: 'video', width: 10, height: 10, disposition: { attached_pic: 1 } }], format: {} }, reason: 'no-video-stream' },
    { case: 'no streams', json: { streams: [], format: {} }, reason: 'no-video-stream' },
    { case: 'no stream list', json: { format: {} }, reason: 'unreadable' },
    { case: 'not an object', json: [1, 2], reason: 'unreadable' },
    { case: 'invalid JSON text', json: '{"streams": [', reason: 'unreadable' },
    { case: 'zero width', json: report({ width: 0 }), reason: 'bad-dimensions' },
    { case: 'missing height', json: report({ height: undefined }), reason: 'bad-dimensions' },
    { case: 'fractional width', json: report({ width: 64.5 }), reason: 'bad-dimensions' },
    { case: 'negative height', json: report({ height: -48 }), reason: 'bad-dimensions' },
    { case: 'a side over 16384', json: report({ width: 20000, height: 100 }), reason: 'too-large' },
    { case: 'an area over 8192²', json: report({ width: 16000, height: 16000 }), reason: 'too-large' },
  ])('refuses $case', ({ json, reason }) => {
    const error = refusal(json);
    expect(error.kind).toBe('input');
    expect(error.reason).toBe(reason);
    expect(error.message).toContain('/videos/clip.mp4');
  });

  it('allows the largest legal picture', () => {
    expect(parse(report({ width: 16384, height: 4096 })).width).toBe(16384);
  });
});
