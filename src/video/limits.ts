/**
 * Size limits for videos we agree to open, shared by the probe (which judges what a file claims)
 * and the decoder (which tells ffmpeg to refuse larger pictures before allocating them).
 *
 * 8K video is 7680×4320; the limits leave room above it while refusing the multi-gigapixel frames
 * a crafted header can declare to exhaust memory.
 */

/** Longest side of a stored picture, pixels. */
export const MAX_PICTURE_SIDE = 16_384;

/** A square picture of this side, pixels, is the largest area allowed. */
export const MAX_PICTURE_AREA_SIDE = 8192;

/** Width × height of a stored picture, pixels (8192², 64 Mpx, about 200 MB as RGB). */
export const MAX_PICTURE_PIXELS = MAX_PICTURE_AREA_SIDE * MAX_PICTURE_AREA_SIDE;

/** Streams in one file; real recordings have a handful, subtitle-heavy remuxes a few dozen. */
export const MAX_STREAMS = 100;

/** How long ffprobe may take before we give up, milliseconds. */
export const DEFAULT_PROBE_TIMEOUT_MS = 30_000;

/** How long the decoder may stay silent before we call it stalled, milliseconds. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
