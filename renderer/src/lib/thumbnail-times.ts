/**
 * When to take the timeline's filmstrip thumbnails: `count` moments evenly spread over the video
 * (the middle of each of `count` equal slices), fetched in small batches so the first ones show
 * while the rest decode. Pure.
 */

export const THUMBNAIL_COUNT = 100;
export const THUMBNAIL_BATCH = 16;
export const THUMBNAIL_HEIGHT = 48;

/** Seconds on the video's clock, starting at `startSeconds` (the first frame's time). */
export function thumbnailTimes(durationSeconds: number, count = THUMBNAIL_COUNT, startSeconds = 0): number[] {
  if (!(durationSeconds > 0) || !Number.isFinite(durationSeconds) || !(count >= 1)) return [];
  const slice = durationSeconds / count;
  return Array.from({ length: Math.floor(count) }, (_, i) => Math.round((startSeconds + (i + 0.5) * slice) * 1000) / 1000);
}

export function batches<T>(items: readonly T[], size = THUMBNAIL_BATCH): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
