/**
 * Paints the whole timeline onto one canvas. Everything here draws only what is visible: the
 * first visible window or segment is found by binary search, and drawing stops at the right
 * edge, so a 3-hour video with 1,000+ windows and 500+ segments costs what is on screen.
 * Coordinates are CSS pixels (the caller scales the context by devicePixelRatio).
 */
import type { Segment } from '../../../../src/shared/analysis.js';
import type { EditedSegment } from '../../../../src/shared/api.js';
import type { ScoreLanes } from '../../lib/score-lanes.js';
import { hslToRgb, labelColor } from '../../lib/segment-colors.js';
import { firstEndingAfter, lastStartingAtOrBefore, rulerTicks, timeToX, visibleRange, xToTime, type TimelineView } from '../../lib/timeline-math.js';
import type { RowBox, TimelineLayout } from './layout.js';
import type { ThumbnailStrip } from './thumbnail-strip.js';

export interface TimelineScene {
  width: number;
  layout: TimelineLayout;
  view: TimelineView;
  duration: number;
  currentTime: number;
  /** Analysis has reached this time; later is hatched while it runs. */
  analyzedUntil: number;
  modelSegments: readonly Segment[];
  editedSegments: readonly EditedSegment[];
  selectedId: string | null;
  lanes: ScoreLanes | null;
  /** How many labels the model has: picks the palette (small sets) or generated colours. */
  labelCount: number;
  thumbnails: ThumbnailStrip;
  /** Where the pointer hovers, CSS px, or null. */
  hoverX: number | null;
  hatch: CanvasPattern | null;
}

const FONT = '11px system-ui, sans-serif';
const SMALL_FONT = '10px system-ui, sans-serif';
const COLORS = {
  background: '#16181d',
  row: '#1f232a',
  rulerText: '#aab1bd',
  tick: '#5a6270',
  playhead: '#ff4d4d',
  hover: 'rgba(255,255,255,0.35)',
  selection: '#ffffff',
  name: '#16181d',
  nameText: '#d6dbe4',
  empty: '#262a32',
};

export function drawTimeline(context: CanvasRenderingContext2D, scene: TimelineScene): void {
  const { width, layout } = scene;
  context.fillStyle = COLORS.background;
  context.fillRect(0, 0, width, layout.height);
  drawRuler(context, scene);
  drawFilmstrip(context, scene);
  const names = rowNames(context, scene);
  drawBars(context, scene, scene.modelSegments, layout.model, null, names[0]!.width);
  drawBars(context, scene, scene.editedSegments, layout.edited, scene.selectedId, names[1]!.width);
  drawLanes(context, scene);
  drawUnanalyzed(context, scene);
  drawRowNames(context, names);
  drawCursorLines(context, scene);
}

function drawRuler(context: CanvasRenderingContext2D, scene: TimelineScene): void {
  const box = scene.layout.ruler;
  context.font = SMALL_FONT;
  context.textBaseline = 'top';
  context.fillStyle = COLORS.tick;
  const ticks = rulerTicks(scene.view, scene.width);
  for (const tick of ticks) {
    if (tick.seconds > scene.duration) break;
    const x = Math.round(tick.x) + 0.5;
    const length = tick.major ? box.height - 4 : 5;
    context.fillRect(x - 0.5, box.top + box.height - length, 1, length);
  }
  context.fillStyle = COLORS.rulerText;
  for (const tick of ticks) {
    if (tick.label !== null && tick.seconds <= scene.duration) context.fillText(tick.label, Math.round(tick.x) + 3, box.top + 3);
  }
}

function drawFilmstrip(context: CanvasRenderingContext2D, scene: TimelineScene): void {
  const box = scene.layout.filmstrip;
  context.fillStyle = COLORS.empty;
  context.fillRect(0, box.top, Math.min(scene.width, timeToX(scene.view, scene.duration)), box.height);
  if (scene.thumbnails.count === 0) return;
  // Cells sit on a fixed time grid, so pictures do not swim while the view pans.
  const cellWidth = Math.max(16, box.height * scene.thumbnails.aspect());
  const cellSeconds = cellWidth * scene.view.secondsPerPixel;
  const range = visibleRange(scene.view, scene.width);
  const last = Math.min(range.endSeconds, scene.duration);
  for (let cell = Math.floor(range.startSeconds / cellSeconds); cell * cellSeconds < last; cell += 1) {
    const start = cell * cellSeconds;
    const bitmap = scene.thumbnails.nearest(Math.min(scene.duration, start + cellSeconds / 2));
    if (bitmap === null) continue;
    const x = timeToX(scene.view, start);
    context.drawImage(bitmap, x, box.top, cellWidth - 1, box.height);
  }
}

interface Bar {
  startSeconds: number;
  endSeconds: number;
  label: string;
  labelIndex: number;
}

/**
 * One row of bars. `nameWidth` (CSS px) is covered by the row's name at the left edge, so a bar's
 * label starts after it instead of under it.
 */
function drawBars(context: CanvasRenderingContext2D, scene: TimelineScene, bars: readonly (Bar & { id?: string })[], box: RowBox, selectedId: string | null, nameWidth: number): void {
  context.fillStyle = COLORS.row;
  context.fillRect(0, box.top, scene.width, box.height);
  const range = visibleRange(scene.view, scene.width);
  context.font = FONT;
  context.textBaseline = 'middle';
  let selected: { x: number; width: number } | null = null;
  for (let index = firstEndingAfter(bars, range.startSeconds, (bar) => bar.endSeconds); index < bars.length; index += 1) {
    const bar = bars[index]!;
    if (bar.startSeconds >= range.endSeconds) break;
    const left = Math.max(-2, timeToX(scene.view, bar.startSeconds));
    const right = Math.min(scene.width + 2, timeToX(scene.view, bar.endSeconds));
    const barWidth = Math.max(1, right - left);
    const color = labelColor(bar.labelIndex, scene.labelCount);
    context.fillStyle = color.fill;
    context.fillRect(left, box.top + 1, barWidth, box.height - 2);
    // A dark seam at each start, so touching bars of one label stay two bars.
    context.fillStyle = 'rgba(0,0,0,0.45)';
    context.fillRect(left, box.top + 1, 1, box.height - 2);
    const textLeft = Math.max(left, nameWidth) + 4;
    const room = right - textLeft - 4;
    if (room > 20) {
      context.fillStyle = color.text;
      const text = fitText(context, bar.label, room);
      if (text !== '') context.fillText(text, textLeft, box.top + box.height / 2);
    }
    if (selectedId !== null && bar.id === selectedId) selected = { x: left, width: barWidth };
  }
  if (selected !== null) {
    context.strokeStyle = COLORS.selection;
    context.lineWidth = 2;
    context.strokeRect(selected.x + 1, box.top + 1, Math.max(1, selected.width - 2), box.height - 2);
    // Grips on both edges: the handles a drag moves.
    context.fillStyle = COLORS.selection;
    context.fillRect(selected.x - 1, box.top + box.height / 2 - 6, 3, 12);
    context.fillRect(selected.x + selected.width - 2, box.top + box.height / 2 - 6, 3, 12);
  }
}

function drawLanes(context: CanvasRenderingContext2D, scene: TimelineScene): void {
  const lanes = scene.lanes;
  const boxes = scene.layout.lanes;
  if (lanes === null || boxes.length === 0) return;
  context.fillStyle = COLORS.row;
  for (const box of boxes) context.fillRect(0, box.top, scene.width, box.height);
  const top = lanes.top().slice(0, boxes.length);
  const windows = lanes.windows;
  const columns = Math.ceil(scene.width);
  if (windows.length === 0 || top.length === 0 || columns <= 0) return;
  // One pixel per column and lane, written into an ImageData and stretched to the lane's
  // height: O(columns + visible windows) however many windows there are, and one drawImage per lane.
  const strip = laneStrip(columns, top.length);
  if (strip === null) return;
  const pixels = strip.image.data;
  const laneColors = top.map((lane) => {
    const color = labelColor(lane.index, scene.labelCount);
    // The label's own colour, lifted when dark: a dim colour blended into the dark row would barely show.
    return hslToRgb(color.hue, color.saturation / 100, Math.max(color.lightness, 45) / 100).map((channel) => channel * 255);
  });
  let owner = Math.max(0, lastStartingAtOrBefore(windows, xToTime(scene.view, 0.5), (window) => window.startSeconds));
  for (let x = 0; x < columns; x += 1) {
    const seconds = xToTime(scene.view, x + 0.5);
    // Windows overlap; each owns the time from its start to the next one's start.
    while (owner + 1 < windows.length && windows[owner + 1]!.startSeconds <= seconds) owner += 1;
    const window = windows[owner]!;
    const covered = seconds >= window.startSeconds && seconds < window.endSeconds;
    top.forEach((lane, laneIndex) => {
      const offset = (laneIndex * columns + x) * 4;
      const amount = covered ? heat(window.probabilities[lane.index]!) : 0;
      const color = laneColors[laneIndex]!;
      pixels[offset] = ROW_RGB[0] + (color[0]! - ROW_RGB[0]) * amount;
      pixels[offset + 1] = ROW_RGB[1] + (color[1]! - ROW_RGB[1]) * amount;
      pixels[offset + 2] = ROW_RGB[2] + (color[2]! - ROW_RGB[2]) * amount;
      pixels[offset + 3] = 255;
    });
  }
  strip.context.putImageData(strip.image, 0, 0);
  const smoothing = context.imageSmoothingEnabled;
  context.imageSmoothingEnabled = false;
  top.forEach((_, laneIndex) => {
    const box = boxes[laneIndex]!;
    context.drawImage(strip.canvas, 0, laneIndex, columns, 1, 0, box.top, columns, box.height);
  });
  context.imageSmoothingEnabled = smoothing;
}

/** COLORS.row as numbers, for blending in ImageData. */
const ROW_RGB = [0x1f, 0x23, 0x2a] as const;

let stripCache: { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D; image: ImageData } | null = null;

/** A scratch canvas of `columns` × `rows` pixels, reused while the size holds. */
function laneStrip(columns: number, rows: number): typeof stripCache {
  if (stripCache !== null && stripCache.image.width === columns && stripCache.image.height === rows) return stripCache;
  const canvas = stripCache?.canvas ?? document.createElement('canvas');
  canvas.width = columns;
  canvas.height = rows;
  const context = canvas.getContext('2d');
  if (context === null) return null;
  stripCache = { canvas, context, image: context.createImageData(columns, rows) };
  return stripCache;
}

/** Probability → opacity. The square root lifts the middle: 0.25 reads as half-lit, not barely there. */
function heat(probability: number): number {
  return Math.sqrt(Math.max(0, Math.min(1, probability)));
}

function drawUnanalyzed(context: CanvasRenderingContext2D, scene: TimelineScene): void {
  if (!(scene.analyzedUntil < scene.duration) || scene.hatch === null) return;
  const left = Math.max(0, timeToX(scene.view, Math.max(0, scene.analyzedUntil)));
  const right = Math.min(scene.width, timeToX(scene.view, scene.duration));
  if (right <= left) return;
  const top = scene.layout.model.top;
  context.fillStyle = scene.hatch;
  context.fillRect(left, top, right - left, scene.layout.height - top);
}

interface RowName {
  text: string;
  box: RowBox;
  /** The opaque backing's width, CSS px from the left edge. */
  width: number;
}

/** The names at the left of each row ("Model", "Edited", then each lane's label and mean score), first two always there. */
function rowNames(context: CanvasRenderingContext2D, scene: TimelineScene): RowName[] {
  context.font = SMALL_FONT;
  const names: [string, RowBox][] = [
    ['Model', scene.layout.model],
    ['Edited', scene.layout.edited],
  ];
  const top = scene.lanes?.top() ?? [];
  top.forEach((lane, index) => {
    const box = scene.layout.lanes[index];
    if (box !== undefined) names.push([`${lane.label} ${Math.round(lane.meanScore * 100)}%`, box]);
  });
  return names.map(([name, box]) => {
    const text = fitText(context, name, 180);
    return { text, box, width: measure(context, text) + 8 };
  });
}

/** Drawn over the bars on an opaque backing: a bar's colour or label never shows through a name. */
function drawRowNames(context: CanvasRenderingContext2D, names: readonly RowName[]): void {
  context.font = SMALL_FONT;
  context.textBaseline = 'middle';
  for (const { text, box, width } of names) {
    context.fillStyle = COLORS.name;
    context.fillRect(0, box.top + 1, width, box.height - 2);
    context.fillStyle = COLORS.nameText;
    context.fillText(text, 4, box.top + box.height / 2);
  }
}

function drawCursorLines(context: CanvasRenderingContext2D, scene: TimelineScene): void {
  const height = scene.layout.height;
  if (scene.hoverX !== null) {
    context.fillStyle = COLORS.hover;
    context.fillRect(Math.round(scene.hoverX), 0, 1, height);
  }
  const x = timeToX(scene.view, scene.currentTime);
  if (x < -6 || x > scene.width + 6) return;
  context.fillStyle = COLORS.playhead;
  context.fillRect(Math.round(x) - 1, 0, 2, height);
  context.beginPath();
  context.moveTo(x - 6, 0);
  context.lineTo(x + 6, 0);
  context.lineTo(x, 8);
  context.closePath();
  context.fill();
}

/** A diagonal hatch, made once per canvas. */
export function makeHatch(context: CanvasRenderingContext2D): CanvasPattern | null {
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const tileContext = tile.getContext('2d');
  if (tileContext === null) return null;
  tileContext.fillStyle = 'rgba(10,12,16,0.55)';
  tileContext.fillRect(0, 0, 8, 8);
  tileContext.strokeStyle = 'rgba(200,205,215,0.25)';
  tileContext.lineWidth = 1.5;
  tileContext.beginPath();
  tileContext.moveTo(-2, 10);
  tileContext.lineTo(10, -2);
  tileContext.stroke();
  return context.createPattern(tile, 'repeat');
}

/** Text widths by font and string: 500 labels are measured once, not every frame. */
const widths = new Map<string, number>();

function measure(context: CanvasRenderingContext2D, text: string): number {
  const key = `${context.font}|${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    width = context.measureText(text).width;
    if (widths.size > 20_000) widths.clear();
    widths.set(key, width);
  }
  return width;
}

/** `text`, cut with an ellipsis to fit `room` pixels; '' when not even one letter fits. */
function fitText(context: CanvasRenderingContext2D, text: string, room: number): string {
  if (measure(context, text) <= room) return text;
  let length = Math.floor((text.length * room) / measure(context, text));
  while (length > 0 && measure(context, `${text.slice(0, length)}…`) > room) length -= 1;
  return length > 0 ? `${text.slice(0, length)}…` : '';
}
