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

/**
 * Token labelling (auxiliary, documented in the model card): the clip's label for every patch
 * token the actor covers, scored by the model's own final LayerNorm + classifier (no new weights).
 * A class needs the order of frames at the actor, so this trains every actor token to read it,
 * instead of leaving all of that to the gradient through the one CLS row. lastHiddenState
 * [1, 1 + N·T, D] (token(n, t) at row 1 + n·T + t), classifier weight [D, K] and bias [K],
 * actorMask [T, N] (share of each patch the actor covers) → the mask-weighted mean cross-entropy,
 * or undefined when the actor is hidden in every frame.
 */
export function tokenLabelLoss(lastHiddenState: tf.Tensor, classifierWeight: tf.Tensor, classifierBias: tf.Tensor, actorMask: tf.Tensor2D, label: number): tf.Scalar | undefined {
  const [frames, patches] = actorMask.shape;
  const covered = tf.tidy(() => tf.sum(actorMask).dataSync()[0]!);
  if (covered === 0) return undefined;
  return tf.tidy(() => {
    const D = lastHiddenState.shape[2]!;
    const tokens = tf.reshape(tf.slice(lastHiddenState, [0, 1, 0], [1, patches * frames, D]), [patches * frames, D]); // [N·T, D], row n·T + t
    const logits = tf.add(tf.matMul(tokens, classifierWeight), classifierBias); // [N·T, K]
    const weights = tf.reshape(tf.transpose(actorMask), [patches * frames]); // [T, N] → [N, T] → [N·T], the rows' order
    const perToken = tf.neg(tf.reshape(tf.slice(tf.logSoftmax(logits), [0, label], [patches * frames, 1]), [patches * frames])); // −log p(label), [N·T]
    return tf.div(tf.sum(tf.mul(perToken, weights)), covered) as tf.Scalar;
  });
}

