/** The ffmpeg decode command line: safety options, stream choice and the sampling filter chain. */
import { describe, expect, it } from 'vitest';
import { decodeArguments, samplingFilter } from '../../src/video/decode-arguments.js';
import { VIDEO_DEMUXERS } from '../../src/video/demuxers.js';
import { MAX_PICTURE_PIXELS } from '../../src/video/limits.js';

const base = { samplingFps: 30, frameStride: 4, imageSize: 224 };

function optionValue(args: string[], option: string): string | undefined {
  const position = args.indexOf(option);
  return position < 0 ? undefined : args[position + 1];
}

describe('decodeArguments', () => {
  const args = decodeArguments('/videos/my clip.mp4', base);

  it('reads the file only through the file protocol and the allowed demuxers, before the input', () => {
    const input = args.indexOf('-i');
    expect(optionValue(args, '-i')).toBe('file:/videos/my clip.mp4');
    expect(optionValue(args, '-protocol_whitelist')).toBe('file');
    expect(optionValue(args, '-format_whitelist')?.split(',')).toEqual(VIDEO_DEMUXERS);
    for (const option of ['-protocol_whitelist', '-format_whitelist', '-max_pixels', '-max_streams']) {
      expect(args.indexOf(option)).toBeGreaterThanOrEqual(0);
      expect(args.indexOf(option)).toBeLessThan(input);
    }
  });

  it('never reads stdin and logs what showinfo needs', () => {
    expect(args.slice(0, 3)).toEqual(['-nostdin', '-hide_banner', '-nostats']);
    expect(optionValue(args, '-v')).toBe('info');
    expect(optionValue(args, '-progress')).toBe('pipe:2');
  });

  it('decodes the first real video stream only, to raw RGB on stdout, frames passed through', () => {
    expect(optionValue(args, '-map')).toBe('0:V:0');
    expect(args).toEqual(expect.arrayContaining(['-an', '-sn', '-dn']));
    expect(optionValue(args, '-fps_mode')).toBe('passthrough');
    expect(args.slice(-5)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  });

  it.each([
    { case: 'the default picture limit', maxPixels: undefined, expected: String(MAX_PICTURE_PIXELS) },
    { case: 'a caller-chosen limit', maxPixels: 1920 * 1080, expected: '2073600' },
  ])('passes $case to the decoder', ({ maxPixels, expected }) => {
    expect(optionValue(decodeArguments('/a.mp4', { ...base, maxPixels }), '-max_pixels')).toBe(expected);
  });

  it('leaves autorotation on', () => {
    expect(args).not.toContain('-noautorotate');
  });
});

describe('samplingFilter', () => {
  const tail = 'scale=w=if(gte(dar\\,1)\\,ceil(224*dar)\\,224):h=if(gte(dar\\,1)\\,224\\,ceil(224/dar)):flags=bilinear,setsar=1,crop=224:224,format=rgb24,showinfo';

  it.each([
    { case: 'every frame from the start', options: { ...base, frameStride: 1 }, expected: `fps=30,select=gte(pts\\,0),${tail}` },
    { case: 'every 4th frame', options: base, expected: `fps=30,select=gte(pts\\,0)*not(mod(pts\\,4)),${tail}` },
    { case: 'every 4th frame from sampled frame 5', options: { ...base, firstFrame: 5 }, expected: `fps=30,select=gte(pts\\,20)*not(mod(pts\\,4)),${tail}` },
    { case: 'every frame from sampled frame 7', options: { ...base, frameStride: 1, firstFrame: 7 }, expected: `fps=30,select=gte(pts\\,7),${tail}` },
  ])('$case', ({ options, expected }) => {
    expect(samplingFilter(options)).toBe(expected);
  });

  it('uses the requested size and a fractional rate as given', () => {
    const filter = samplingFilter({ samplingFps: 7.5, frameStride: 2, imageSize: 96 });
    expect(filter.startsWith('fps=7.5,')).toBe(true);
    expect(filter).toContain('crop=96:96');
    expect(filter).toContain('ceil(96*dar)');
  });
});

describe('resuming', () => {
  const inputOptions = (args: string[]): string[] => args.slice(0, args.indexOf('-i'));

  it.each([
    { case: 'a full run', firstFrame: undefined, expected: [] },
    { case: 'a resume within the margin of the start', firstFrame: 10, expected: [] },
    // Sampled frame 100 at 30 fps, stride 4: 13.333 s; seek 2 s before it.
    { case: 'a resume further in', firstFrame: 100, expected: ['-noaccurate_seek', '-ss', '11.333333'] },
  ])('seeks only when it saves decoding: $case', ({ firstFrame, expected }) => {
    const options = inputOptions(decodeArguments('/a.mp4', { ...base, firstFrame }));
    const seek = options.indexOf('-noaccurate_seek');
    expect(seek < 0 ? [] : options.slice(seek, seek + 3)).toEqual(expected);
  });

  it('keeps every run on the file’s own clock', () => {
    const options = inputOptions(decodeArguments('/a.mp4', { ...base, firstFrame: 100 }));
    expect(options).toEqual(expect.arrayContaining(['-copyts', '-start_at_zero']));
  });
});
