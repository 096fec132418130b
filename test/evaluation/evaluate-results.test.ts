import { describe, expect, it } from 'vitest';
import { evaluateFiles } from '../../src/evaluation/evaluate-results.js';
import type { ResultForEvaluation } from '../../src/evaluation/result-file.js';

function result(durationSeconds: number, averageFrameRate: number, segments: [string, number, number][]): ResultForEvaluation {
  return {
    path: 'x.json',
    modelId: 'm',
    durationSeconds,
    averageFrameRate,
    segments: segments.map(([label, startSeconds, endSeconds]) => ({ label, startSeconds, endSeconds })),
  };
}

describe('evaluateFiles', () => {
  it.each([
    ['the truth\'s duration and frame rate', result(10, 5, [['a', 0, 10]]), undefined, 5, 10, 50],
    ['a given rate', result(10, 5, [['a', 0, 10]]), 2, 2, 10, 20],
    ['30 fps when the truth has no rate', result(10, 0, [['a', 0, 10]]), undefined, 30, 10, 300],
    ['the last segment\'s end when the truth has no duration', result(0, 4, [['a', 0, 2], ['b', 2, 6]]), undefined, 4, 6, 24],
  ])('lays the grid from %s', (_name, truth, fps, gridFps, duration, frames) => {
    const report = evaluateFiles(result(99, 30, [['a', 0, 99]]), truth, fps);
    expect(report).toMatchObject({ fps: gridFps, durationSeconds: duration, frames });
  });

  it('ignores predicted segments past the truth\'s end', () => {
    const report = evaluateFiles(result(20, 10, [['a', 0, 10], ['b', 10, 20]]), result(10, 10, [['a', 0, 10]]));
    expect(report).toMatchObject({ frameAccuracy: 100, edit: 100, predictedSegments: 1, trueSegments: 1 });
  });
});
