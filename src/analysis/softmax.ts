/**
 * Softmax over one window's logits, on the CPU. Window logits are small (one vector of class
 * scores, e.g. 400 for Kinetics), so this is plain JavaScript rather than a tfjs op.
 */

/**
 * Writes softmax(logits) into `into` (same length) and returns it. Stable: the largest logit is
 * subtracted before exponentiating, so logits in the hundreds (common from fp32 heads) never
 * overflow exp and the result always sums to 1. Logits must be finite.
 */
export function softmaxInto(logits: ArrayLike<number>, into: Float64Array): Float64Array {
  let largest = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < logits.length; index += 1) largest = Math.max(largest, logits[index]!);
  let total = 0;
  for (let index = 0; index < logits.length; index += 1) {
    const exponential = Math.exp(logits[index]! - largest);
    into[index] = exponential;
    total += exponential;
  }
  for (let index = 0; index < logits.length; index += 1) into[index] = into[index]! / total;
  return into;
}

/** softmax(logits) as a new array of probabilities 0..1. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  return softmaxInto(logits, new Float64Array(logits.length));
}
