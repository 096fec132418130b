/**
 * Hysteresis labelling: which class, if any, each interval of a timeline belongs to. Two
 * thresholds instead of one keep a class that dips for a moment (a score wobbling around a single
 * threshold would cut a segment into confetti), while a clearly better class can still take over.
 */
import type { ScoreTimeline } from './scores.js';

/** The label of an interval that belongs to no class. */
export const UNLABELED = -1;

/**
 * One class index (or UNLABELED) per interval. A class opens when it is the top class with a score
 * ≥ enter; it holds while its score stays ≥ exit, unless another class reaches ≥ enter and beats it
 * (then that class takes over); below exit with no class ≥ enter the interval is unlabeled. A gap
 * in the data closes whatever was open: the next interval must earn its label afresh. Equal
 * scores: the lower class index is the top class, and a tie never takes over.
 */
export function hysteresisLabels(timeline: ScoreTimeline, enterThreshold: number, exitThreshold: number): Int32Array {
  const { classes, starts, ends, scores } = timeline;
  const labels = new Int32Array(starts.length).fill(UNLABELED);
  let current = UNLABELED;
  for (let interval = 0; interval < starts.length; interval += 1) {
    if (interval > 0 && starts[interval]! > ends[interval - 1]!) current = UNLABELED;
    const offset = interval * classes;
    const top = topClassIndex(scores, offset, classes);
    const topScore = scores[offset + top]!;
    const currentScore = current === UNLABELED ? Number.NaN : scores[offset + current]!;
    if (current !== UNLABELED && currentScore >= exitThreshold) {
      if (top !== current && topScore >= enterThreshold && topScore > currentScore) current = top;
    } else {
      current = topScore >= enterThreshold ? top : UNLABELED;
    }
    labels[interval] = current;
  }
  return labels;
}

/** Index of the highest score in scores[offset .. offset + classes); the first one on ties. */
function topClassIndex(scores: Float32Array, offset: number, classes: number): number {
  let best = 0;
  for (let index = 1; index < classes; index += 1) {
    if (scores[offset + index]! > scores[offset + best]!) best = index;
  }
  return best;
}
