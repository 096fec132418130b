/**
 * The training objective for one clip.
 *
 * - Classification: softmax cross-entropy of the clip's logits [1, classes].
 * - Heatmap (auxiliary, documented in the model card): the attention rollout the app shows should
 *   sit on the actor. For each frame where the actor is visible, the share of rollout_raw mass on
 *   the actor, each patch weighted by how much of it the actor's box covers (the evaluation's
 *   measure); the loss is −log of that share, averaged over those frames. It trains the attention to look at the actor instead of leaving the heatmap to chance
 *   (the generator's boxes are the supervision; nothing about the class is in it).
 */
import * as tf from '@tensorflow/tfjs';

/** Keeps log() finite when a frame's share is 0. */
const SHARE_FLOOR = 1e-6;

export function classificationLoss(logits: tf.Tensor, label: number): tf.Scalar {
  return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([label], 'int32'), logits.shape[1]!), logits) as tf.Scalar);
}

/**
 * rolloutRaw [T, rows, cols], actorMask [T, rows·cols] (share of each patch the actor covers) → a scalar,
 * or undefined when the actor is hidden in every frame of the clip.
 */
export function heatmapLoss(rolloutRaw: tf.Tensor, actorMask: tf.Tensor2D): tf.Scalar | undefined {
  const [frames, patches] = actorMask.shape;
  const visible = tf.tidy(() => tf.greater(tf.sum(actorMask, 1), 0)); // [T]
  const visibleFrames = tf.sum(tf.cast(visible, 'float32')).dataSync()[0]!;
  if (visibleFrames === 0) {
    visible.dispose();
    return undefined;
  }
  const loss = tf.tidy(() => {
    const mass = tf.reshape(rolloutRaw, [frames, patches]); // [T, N]
    const share = tf.div(tf.sum(tf.mul(mass, actorMask), 1), tf.sum(mass, 1)); // [T]
    const perFrame = tf.neg(tf.log(tf.add(share, SHARE_FLOOR))); // [T]
    return tf.div(tf.sum(tf.mul(perFrame, tf.cast(visible, 'float32'))), visibleFrames) as tf.Scalar;
  });
  visible.dispose();
  return loss;
}
