/**
 * Where each row of the timeline sits, in CSS pixels from the canvas's top. Pure, so hit tests
 * and drawing agree on one geometry.
 */

export type TimelineRowName = 'ruler' | 'filmstrip' | 'model' | 'edited' | 'lanes';

export interface RowBox {
  top: number;
  height: number;
}

export interface TimelineLayout {
  ruler: RowBox;
  filmstrip: RowBox;
  model: RowBox;
  edited: RowBox;
  /** One box per score lane, top class first. */
  lanes: RowBox[];
  height: number;
}

const RULER_HEIGHT = 22;
const FILMSTRIP_HEIGHT = 48;
const MODEL_HEIGHT = 20;
const EDITED_HEIGHT = 26;
const LANE_HEIGHT = 14;
const GAP = 4;
const LANE_GAP = 1;

export function timelineLayout(laneCount: number): TimelineLayout {
  const ruler = { top: 0, height: RULER_HEIGHT };
  const filmstrip = { top: ruler.top + ruler.height, height: FILMSTRIP_HEIGHT };
  const model = { top: filmstrip.top + filmstrip.height + GAP, height: MODEL_HEIGHT };
  const edited = { top: model.top + model.height + GAP, height: EDITED_HEIGHT };
  const lanesTop = edited.top + edited.height + GAP;
  const lanes = Array.from({ length: Math.max(0, laneCount) }, (_, lane) => ({ top: lanesTop + lane * (LANE_HEIGHT + LANE_GAP), height: LANE_HEIGHT }));
  const height = (lanes.at(-1)?.top ?? lanesTop) + (lanes.length > 0 ? LANE_HEIGHT : 0) + GAP;
  return { ruler, filmstrip, model, edited, lanes, height };
}

/** The row under `y`; gaps belong to the row above them, so a click never falls through. */
export function rowAt(layout: TimelineLayout, y: number): { row: TimelineRowName; lane: number } {
  if (y < layout.filmstrip.top) return { row: 'ruler', lane: -1 };
  if (y < layout.model.top) return { row: 'filmstrip', lane: -1 };
  if (y < layout.edited.top) return { row: 'model', lane: -1 };
  const firstLane = layout.lanes[0];
  if (firstLane === undefined || y < firstLane.top) return { row: 'edited', lane: -1 };
  let lane = 0;
  while (lane + 1 < layout.lanes.length && y >= layout.lanes[lane + 1]!.top) lane += 1;
  return { row: 'lanes', lane };
}
