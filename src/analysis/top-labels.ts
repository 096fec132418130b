/** The k most probable classes of one window: softmax of its logits, best first, ties to the lower index. */
import type { ScoredLabel } from '../shared/analysis.js';
import { topClasses } from './scores.js';
import { softmax } from './softmax.js';

export function topLabels(logits: readonly number[], labels: readonly string[], k: number): ScoredLabel[] {
  return topClasses(softmax(logits), labels, k);
}
