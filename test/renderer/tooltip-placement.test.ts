import { describe, expect, it } from 'vitest';
import { placeTooltip } from '../../renderer/src/lib/tooltip-placement.js';

const viewport = { width: 1280, height: 800 };
const tooltip = { width: 200, height: 150 };

describe('placeTooltip', () => {
  it.each([
    ['room on both sides: below-right of the pointer', { x: 100, y: 100 }, { left: 112, top: 112 }],
    ['near the bottom: flipped above', { x: 100, y: 700 }, { left: 112, top: 538 }],
    ['near the right edge: flipped left', { x: 1200, y: 100 }, { left: 988, top: 112 }],
    ['in the bottom-right corner: above and left', { x: 1270, y: 790 }, { left: 1058, top: 628 }],
    ['exactly fitting below (margin kept)', { x: 0, y: 634 }, { left: 12, top: 646 }],
  ])('%s', (_, pointer, expected) => {
    expect(placeTooltip(pointer, tooltip, viewport)).toEqual(expected);
  });

  it('clamps inside a window too small for either side', () => {
    const small = { width: 300, height: 220 };
    const placed = placeTooltip({ x: 150, y: 110 }, tooltip, small);
    expect(placed.left).toBeGreaterThanOrEqual(4);
    expect(placed.left + tooltip.width).toBeLessThanOrEqual(small.width - 4);
    expect(placed.top).toBeGreaterThanOrEqual(4);
    expect(placed.top + tooltip.height).toBeLessThanOrEqual(small.height - 4);
  });

  it('keeps the top-left corner visible when the tooltip is larger than the window', () => {
    expect(placeTooltip({ x: 50, y: 50 }, { width: 400, height: 400 }, { width: 300, height: 300 })).toEqual({ left: 4, top: 4 });
  });

  it('never covers the pointer while there is room on one side', () => {
    for (const pointer of [{ x: 640, y: 400 }, { x: 10, y: 790 }, { x: 1279, y: 0 }]) {
      const placed = placeTooltip(pointer, tooltip, viewport);
      const coversX = placed.left <= pointer.x && pointer.x <= placed.left + tooltip.width;
      const coversY = placed.top <= pointer.y && pointer.y <= placed.top + tooltip.height;
      expect(coversX && coversY).toBe(false);
    }
  });
});
