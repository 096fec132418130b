/**
 * A training clip as the model sees it at analysis time: pixel_values [1, T, 3, S, S] =
 * (rgb · rescale − mean) / std, exactly the inference worker's transform, optionally mirrored
 * left–right and/or played backwards (augmentation; the label and the actor mask follow).
 */
import * as tf from '@tensorflow/tfjs';
import type { Normalization } from '../shared/analysis.js';
import type { TrainingVideo } from './training-set.js';

export function clipPixelValues(video: TrainingVideo, startFrame: number, frames: number, normalization: Normalization, flip: boolean, reverse = false): tf.Tensor5D {
  const size = video.imageSize;
  const frameBytes = size * size * 3;
  const bytes = video.pixels.subarray(startFrame * frameBytes, (startFrame + frames) * frameBytes);
  return tf.tidy(() => {
    let rgb: tf.Tensor4D = tf.tensor4d(Float32Array.from(bytes), [frames, size, size, 3]); // [T, H, W, C]
    if (flip) rgb = tf.reverse(rgb, 2);
    if (reverse) rgb = tf.reverse(rgb, 0);
    const normalized = tf.div(tf.sub(tf.mul(rgb, normalization.rescale), tf.tensor1d(normalization.mean)), tf.tensor1d(normalization.std));
    return tf.expandDims(tf.transpose(normalized, [0, 3, 1, 2]), 0) as tf.Tensor5D; // → [T, C, H, W] → [1, T, C, H, W]
  });
}

/** The actor masks of a clip's frames, [T, grid·grid] as rows of the patch grid, mirrored and ordered like the pixels. */
export function clipActorMask(video: TrainingVideo, startFrame: number, frames: number, flip: boolean, reverse = false): tf.Tensor2D {
  const patches = video.grid * video.grid;
  const values = video.actorPatches.slice(startFrame * patches, (startFrame + frames) * patches);
  return tf.tidy(() => {
    const mask = tf.tensor3d(values, [frames, video.grid, video.grid]);
    const mirrored = flip ? tf.reverse(mask, 2) : mask;
    return tf.reshape(reverse ? tf.reverse(mirrored, 0) : mirrored, [frames, patches]) as tf.Tensor2D;
  });
}
