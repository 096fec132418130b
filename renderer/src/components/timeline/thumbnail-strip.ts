/**
 * The filmstrip's pictures: JPEG bytes decoded once into ImageBitmaps (off the main thread where
 * the browser can), and the nearest one for any time. Decoding is asynchronous; `onReady` asks
 * the timeline to redraw when a picture arrives.
 */
import type { Thumbnail } from '../../../../src/shared/api.js';

export class ThumbnailStrip {
  /** Sorted by time; `bitmap` is null until decoded (or when the bytes were not a picture). */
  private entries: { time: number; thumbnail: Thumbnail; bitmap: ImageBitmap | null }[] = [];
  private readonly decoded = new WeakMap<Thumbnail, ImageBitmap | 'pending' | 'failed'>();
  private readonly onReady: () => void;

  constructor(onReady: () => void) {
    this.onReady = onReady;
  }

  /** Takes the current list; starts decoding the ones not seen before. */
  update(thumbnails: readonly Thumbnail[]): void {
    this.entries = thumbnails
      .filter((thumbnail) => Number.isFinite(thumbnail.time) && thumbnail.jpeg instanceof Uint8Array && thumbnail.jpeg.length > 0)
      .map((thumbnail) => {
        const state = this.decoded.get(thumbnail);
        if (state === undefined) this.decode(thumbnail);
        return { time: thumbnail.time, thumbnail, bitmap: state instanceof ImageBitmap ? state : null };
      })
      .sort((first, second) => first.time - second.time);
  }

  /** Width over height of the pictures (16:9 until one is decoded). */
  aspect(): number {
    const sample = this.entries.find((entry) => entry.bitmap !== null)?.bitmap;
    return sample !== undefined && sample !== null && sample.height > 0 ? sample.width / sample.height : 16 / 9;
  }

  get count(): number {
    return this.entries.length;
  }

  /** The decoded picture nearest to `seconds`, or null when none is decoded near it. */
  nearest(seconds: number): ImageBitmap | null {
    const entries = this.entries;
    if (entries.length === 0) return null;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (entries[middle]!.time < seconds) low = middle + 1;
      else high = middle;
    }
    const after = entries[low];
    const before = entries[low - 1];
    const pick = after === undefined ? before : before === undefined ? after : seconds - before.time <= after.time - seconds ? before : after;
    return pick?.bitmap ?? null;
  }

  private decode(thumbnail: Thumbnail): void {
    this.decoded.set(thumbnail, 'pending');
    // The bytes travel as a Uint8Array over IPC; a Blob makes them a JPEG file for the decoder.
    const blob = new Blob([thumbnail.jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' });
    createImageBitmap(blob).then(
      (bitmap) => {
        this.decoded.set(thumbnail, bitmap);
        for (const entry of this.entries) if (entry.thumbnail === thumbnail) entry.bitmap = bitmap;
        this.onReady();
      },
      () => {
        // Not a picture: the cell stays empty rather than failing the whole strip.
        this.decoded.set(thumbnail, 'failed');
      },
    );
  }
}
