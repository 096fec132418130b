import { describe, expect, it } from 'vitest';
import { hysteresisLabels, UNLABELED } from '../../src/analysis/hysteresis.js';
import { secondsFrom, timelineFrom } from './segment-fixtures.js';

const A = 0;
const B = 1;
const none = UNLABELED;

// Enter 0.3, exit 0.2 unless said otherwise; rows are [class A, class B] (the other classes'
// share of the probability is left out: labelling only compares scores with thresholds and each other).
describe('hysteresisLabels', () => {
  it.each([
    ['all below the enter threshold', [[0.25, 0.25], [0.1, 0.29]], [none, none]],
    ['a class opens at the enter threshold', [[0.1, 0.1], [0.5, 0.1]], [none, A]],
    ['holds through a dip above exit', [[0.5, 0.1], [0.25, 0.1], [0.5, 0.1]], [A, A, A]],
    ['closes below exit', [[0.5, 0.1], [0.15, 0.1]], [A, none]],
    ['reopening needs the enter threshold again', [[0.5, 0.1], [0.15, 0.1], [0.25, 0.1]], [A, none, none]],
    ['switches to a class that reaches enter and beats it', [[0.5, 0.3], [0.25, 0.4]], [A, B]],
    ['does not switch to a class above enter that does not beat it', [[0.5, 0.1], [0.32, 0.31]], [A, A]],
    ['does not switch to a class that beats it below enter', [[0.5, 0.1], [0.22, 0.28]], [A, A]],
    ['switches when the open class falls below exit and another is above enter', [[0.5, 0.1], [0.1, 0.35]], [A, B]],
    ['a tie opens the lower class index', [[0.4, 0.4]], [A]],
    ['a tie does not take over', [[0.1, 0.5], [0.4, 0.4]], [B, B]],
  ])('%s', (_, rows, expected) => {
    expect(Array.from(hysteresisLabels(secondsFrom(rows), 0.3, 0.2))).toEqual(expected);
  });

  it('a gap in the data closes the open class', () => {
    const timeline = timelineFrom([[0, 1, [0.5, 0.1]], [2, 3, [0.25, 0.1]]]);
    expect(Array.from(hysteresisLabels(timeline, 0.3, 0.2))).toEqual([A, none]);
  });

  it('equal thresholds act as a single threshold', () => {
    const timeline = secondsFrom([[0.5, 0.2], [0.25, 0.2], [0.45, 0.2]]);
    expect(Array.from(hysteresisLabels(timeline, 0.4, 0.4))).toEqual([A, none, A]);
  });
});
