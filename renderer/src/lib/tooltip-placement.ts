/**
 * Where a tooltip goes so that it stays inside the window: below-right of the pointer by
 * default, flipped above or to the left when it would cross the bottom or right edge, and
 * clamped to the window when it fits on neither side. All values are CSS pixels in viewport
 * coordinates (what position: fixed uses).
 */

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Gap between the pointer and the tooltip, and between the tooltip and the window's edges. */
export const TOOLTIP_OFFSET = 12;
export const TOOLTIP_MARGIN = 4;

export function placeTooltip(pointer: Point, tooltip: Size, viewport: Size, offset = TOOLTIP_OFFSET, margin = TOOLTIP_MARGIN): { left: number; top: number } {
  return {
    left: placeAlong(pointer.x, tooltip.width, viewport.width, offset, margin),
    top: placeAlong(pointer.y, tooltip.height, viewport.height, offset, margin),
  };
}

/** One axis: after the pointer if it fits, else before it if that fits, else pushed inside the edges. */
function placeAlong(pointer: number, size: number, room: number, offset: number, margin: number): number {
  const after = pointer + offset;
  if (after + size <= room - margin) return after;
  const before = pointer - offset - size;
  if (before >= margin) return before;
  // Fits on neither side: keep it inside, the far edge winning when the window is too small.
  return Math.max(margin, Math.min(after, room - margin - size));
}
