/**
 * The demuxers ffmpeg and ffprobe may use on a user's file, passed as `-format_whitelist`.
 *
 * Why an allow-list: ffmpeg picks a demuxer by sniffing the bytes, not by the file name, so a
 * "video.mp4" that is really an HLS playlist or an ffconcat list is opened as one and makes ffmpeg
 * read other files (a local file disclosure shown at Black Hat 2016; `-protocol_whitelist file`
 * alone does not stop it, because those other files are local too). Allowing only containers that
 * hold their media inside themselves closes that door: hls, dash, concat, image2 (numbered file
 * sequences), tty/ansi (text), lavfi (filter graphs), sdp/rtsp/rtp (network), data, subfile and
 * every playlist format stay out. Nested demuxers (an AVI's embedded subtitles) inherit the list,
 * so they cannot reach those either.
 *
 * ffmpeg matches each entry against every alias of a demuxer's name, so "mov" covers
 * "mov,mp4,m4a,3gp,3g2,mj2" and "matroska" covers "matroska,webm".
 */

export const VIDEO_DEMUXERS: readonly string[] = [
  // MP4, MOV, M4V, 3GP: phones, cameras, most downloads. External data references stay off (ffmpeg's default).
  'mov',
  // Matroska and WebM.
  'matroska',
  'avi',
  // MPEG transport stream (.ts, .mts, .m2ts: broadcast, AVCHD camcorders) and program stream (.mpg, .vob).
  'mpegts',
  'mpeg',
  'flv',
  // Ogg (Theora).
  'ogg',
  // Windows Media (.wmv, .asf).
  'asf',
  // MXF: professional camera recordings (XDCAM, XAVC); self-contained in the operational patterns ffmpeg reads.
  'mxf',
  // DV camcorder tapes captured to files.
  'dv',
  // IVF: the minimal VP8/VP9/AV1 container from libvpx and libaom tools.
  'ivf',
  // NUT: FFmpeg's own container.
  'nut',
];

/** The list as ffmpeg's `-format_whitelist` takes it. */
export function demuxerAllowList(): string {
  return VIDEO_DEMUXERS.join(',');
}
