import { describe, expect, it } from 'vitest';
import { edgeNear, segmentIndexAt } from '../../renderer/src/components/timeline/hit-test.js';
import { rowAt, timelineLayout } from '../../renderer/src/components/timeline/layout.js';

// 1 px = 0.1 s from 0: segment a spans x 0..40, b 40..100, c 150..200.
const view = { startSeconds: 0, secondsPerPixel: 0.1 };
const segments = [
  { id: 'a', startSeconds: 0, endSeconds: 4 },
  { id: 'b', startSeconds: 4, endSeconds: 10 },
  { id: 'c', startSeconds: 15, endSeconds: 20 },
];

describe('segmentIndexAt', () => {
  it.each([
    [-1, -1],
    [0, 0],
    [3.99, 0],
    [4, 1],
    [12, -1],
    [19.9, 2],
    [20, -1],
  ])('at %d s → #%d', (seconds, expected) => {
    expect(segmentIndexAt(segments, seconds)).toBe(expected);
  });
});

describe('edgeNear', () => {
  it.each([
    [20, null],
    [2, { id: 'a', edge: 'start' }],
    [38, { id: 'a', edge: 'end' }], // inside a, near the shared edge
    [42, { id: 'b', edge: 'start' }], // inside b, near the shared edge
    [104, { id: 'b', edge: 'end' }],
    [147, { id: 'c', edge: 'start' }],
    [205, { id: 'c', edge: 'end' }],
    [206, null],
  ])('at x=%d → %j', (x, expected) => {
    expect(edgeNear(segments, view, x)).toEqual(expected);
  });

  it('is empty for no segments', () => {
    expect(edgeNear([], view, 10)).toBeNull();
  });
});

describe('timeline layout', () => {
  const layout = timelineLayout(3);

  it('stacks the rows without overlap', () => {
    const boxes = [layout.ruler, layout.filmstrip, layout.model, layout.edited, ...layout.lanes];
    for (let index = 1; index < boxes.length; index += 1) expect(boxes[index]!.top).toBeGreaterThanOrEqual(boxes[index - 1]!.top + boxes[index - 1]!.height);
    expect(layout.height).toBeGreaterThan(layout.lanes[2]!.top + layout.lanes[2]!.height - 1);
  });

  it.each([
    [0, 'ruler', -1],
    [layout.filmstrip.top, 'filmstrip', -1],
    [layout.model.top + 1, 'model', -1],
    [layout.edited.top + 1, 'edited', -1],
    [layout.lanes[0]!.top, 'lanes', 0],
    [layout.lanes[2]!.top + 5, 'lanes', 2],
    [layout.height + 50, 'lanes', 2],
  ])('y=%d is %s (lane %d)', (y, row, lane) => {
    expect(rowAt(layout, y)).toEqual({ row, lane });
  });

  it('has no lanes without scores', () => {
    const empty = timelineLayout(0);
    expect(rowAt(empty, empty.height + 10).row).toBe('edited');
  });
});
