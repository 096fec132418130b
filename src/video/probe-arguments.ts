/**
 * The ffprobe command line for one file. Pure.
 *
 * Safety first: only the file protocol and the allow-listed demuxers (see demuxers.ts), a cap on
 * streams and on picture size so a crafted header cannot make ffprobe allocate gigabytes, and the
 * path given as `file:<absolute path>` so it can never be read as an option or another protocol.
 *
 * The entries asked for work with ffprobe 4.0 (ffprobe-static) through 7: side data is requested
 * as the whole `stream_side_data_list` because the per-field section names changed between
 * versions, and ffprobe 4.0 writes invalid JSON when a `side_data=` entry also matches frames.
 */
import { demuxerAllowList } from './demuxers.js';
import { MAX_PICTURE_PIXELS, MAX_STREAMS } from './limits.js';

const ENTRIES = [
  'format=duration,format_name,start_time',
  'stream=index,codec_type,codec_name,width,height,sample_aspect_ratio,avg_frame_rate,r_frame_rate,nb_frames,start_time,duration',
  'stream_disposition=attached_pic',
  'stream_tags=rotate',
  'stream_side_data_list',
].join(':');

/** @param absolutePath the file, already resolved to an absolute path. */
export function probeArguments(absolutePath: string): string[] {
  return [
    '-v', 'error',
    '-hide_banner',
    '-protocol_whitelist', 'file',
    '-format_whitelist', demuxerAllowList(),
    '-max_streams', String(MAX_STREAMS),
    '-max_pixels', String(MAX_PICTURE_PIXELS),
    '-show_entries', ENTRIES,
    '-of', 'json',
    '-i', `file:${absolutePath}`,
  ];
}
