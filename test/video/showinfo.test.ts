/** Reading frame numbers, timestamps and checksums from ffmpeg's showinfo lines. */
import { describe, expect, it } from 'vitest';
import { parseShowinfoLine } from '../../src/video/showinfo.js';

describe('parseShowinfoLine', () => {
  it.each([
    {
      case: 'ffmpeg 5.1, first frame',
      line: '[Parsed_showinfo_6 @ 0x55a0c6675640] n:   0 pts:      4 pts_time:0.4     pos:     3495 fmt:rgb24 sar:1/1 s:16x16 i:P iskey:0 type:P checksum:4BCB793E plane_checksum:[4BCB793E] mean:[126] stdev:[95.1]',
      expected: { n: 0, pts: 4, ptsSeconds: 0.4, checksum: 0x4bcb793e },
    },
    {
      case: 'ffmpeg 5.1, later frame with a whole-second time',
      line: '[Parsed_showinfo_6 @ 0x55a0c6675640] n:   4 pts:     20 pts_time:2       pos:    10929 fmt:rgb24 sar:1/1 s:16x16 i:P iskey:0 type:P checksum:BDA379C4 plane_checksum:[BDA379C4] mean:[126] stdev:[97.1]',
      expected: { n: 4, pts: 20, ptsSeconds: 2, checksum: 0xbda379c4 },
    },
    {
      case: 'ffmpeg 6+ with duration fields after pts_time',
      line: '[Parsed_showinfo_5 @ 0x7f2c3c004b40] n: 123 pts:   1230 pts_time:41      duration:      1 duration_time:0.0333333 fmt:rgb24 cl:left sar:1/1 s:224x224 i:P iskey:1 type:I checksum:0A1B2C3D plane_checksum:[0A1B2C3D] mean:[100] stdev:[50.0]',
      expected: { n: 123, pts: 1230, ptsSeconds: 41, checksum: 0x0a1b2c3d },
    },
    {
      case: 'a negative timestamp (B-frame delay before the start)',
      line: '[Parsed_showinfo_1 @ 0x1] n:   0 pts:     -1 pts_time:-0.0333333 pos: 48 fmt:yuv420p',
      expected: { n: 0, pts: -1, ptsSeconds: -0.0333333 },
    },
    {
      case: 'an address without 0x (some platforms print pointers bare)',
      line: '[Parsed_showinfo_2 @ 000001d2c1a0b2c0] n:  10 pts:    100 pts_time:10 pos: 1 fmt:rgb24',
      expected: { n: 10, pts: 100, ptsSeconds: 10 },
    },
  ])('reads $case', ({ line, expected }) => {
    expect(parseShowinfoLine(line)).toEqual(expected);
  });

  it.each([
    { case: 'the filter configuration line', line: '[Parsed_showinfo_6 @ 0x55a0c6675640] config in time_base: 1/10, frame_rate: 10/1' },
    { case: "a frame's colour line", line: '[Parsed_showinfo_6 @ 0x55a0c6675640] color_range:unknown color_space:unknown color_primaries:unknown color_trc:unknown' },
    { case: 'a frame without a timestamp', line: '[Parsed_showinfo_1 @ 0x55d37a83ec00] n:   3 pts:NOPTS pts_time:NOPTS pos: 2503 fmt:gbrp' },
    { case: 'another filter logging the same shape', line: '[Parsed_fps_0 @ 0x5] n:   0 pts:      0 pts_time:0 pos: 1' },
    { case: 'a metadata value forged to look like a frame line', line: '    title           : [Parsed_showinfo_6 @ 0x1] n:   0 pts: 99 pts_time:99 pos: 1' },
    { case: 'a progress line', line: 'out_time=00:00:02.900000' },
    { case: 'an empty line', line: '' },
  ])('ignores $case', ({ line }) => {
    expect(parseShowinfoLine(line)).toBeUndefined();
  });
});
