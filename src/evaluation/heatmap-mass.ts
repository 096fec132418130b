/**
 * How much of a window's attention falls on the actor: the share of each heatmap frame's mass
 * inside the actor's box, averaged over the window's frames. Pure.
 *
 * The heatmap lies on the model's patch grid over the decoder's picture, which is not the video's:
 * the decoder (src/video/decode-arguments.ts) scales the short side to imageSize (the long side to
 * ceil(imageSize · long / short)) and crops the centre imageSize × imageSize square; ffmpeg's crop
 * rounds the left/top offset down to the chroma grid, even for 4:2:0 video. So the box is scaled
 * and shifted into the crop, clipped to it, and laid on the grid with fractional cell overlap: a
 * cell half covered by the box counts half its mass.
 */
import type { CompactHeatmap } from '../shared/analysis.js';
import { LongviewError } from '../shared/errors.js';

/** [x, y, width, height] in video pixels, or the generator's ActorBox. */
export type BoxLike = readonly [number, number, number, number] | { x: number; y: number; width: number; height: number };

export interface HeatmapMassInput {
  /** One window's heatmap: frames × rows × columns bytes. */
  heatmap: CompactHeatmap;
  /** Decoder time of each real frame of the window, seconds (a padded window has fewer than heatmap.frames). */
  frameTimes: readonly number[];
  /** The actor's box in every video frame. */
  boxes: readonly BoxLike[];
  /** Frame rate the boxes were given at. */
  fps: number;
  videoWidth: number;
  videoHeight: number;
  /** Side of the model's square input, pixels. */
  imageSize: number;
}

/** A box in model-input pixels: [left, right) × [top, bottom), inside [0, imageSize]. */
export interface InputRectangle {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Mean over the window's real frames of (mass inside the box) / (total mass); a frame with no mass counts 0. */
export function heatmapMassInBox(input: HeatmapMassInput): number {
  checkInput(input);
  const { heatmap } = input;
  const frames = Math.min(heatmap.frames, input.frameTimes.length);
  if (frames === 0) return 0;
  let sum = 0;
  for (let frame = 0; frame < frames; frame += 1) {
    const videoFrame = Math.min(input.boxes.length - 1, Math.max(0, Math.round((input.frameTimes[frame] as number) * input.fps)));
    const rectangle = boxInInput(input.boxes[videoFrame] as BoxLike, input.videoWidth, input.videoHeight, input.imageSize);
    sum += frameShare(heatmap, frame, rectangle, input.imageSize);
  }
  return sum / frames;
}

/** The video-pixel box → model-input pixels, following the decoder's scale and centre crop. */
export function boxInInput(box: BoxLike, videoWidth: number, videoHeight: number, imageSize: number): InputRectangle {
  const [x, y, width, height] = boxValues(box);
  const landscape = videoWidth >= videoHeight;
  const scaledWidth = landscape ? Math.ceil((imageSize * videoWidth) / videoHeight) : imageSize;
  const scaledHeight = landscape ? imageSize : Math.ceil((imageSize * videoHeight) / videoWidth);
  const scaleX = scaledWidth / videoWidth;
  const scaleY = scaledHeight / videoHeight;
  const cropLeft = evenFloor((scaledWidth - imageSize) / 2);
  const cropTop = evenFloor((scaledHeight - imageSize) / 2);
  const clip = (value: number): number => Math.min(imageSize, Math.max(0, value));
  return {
    left: clip(x * scaleX - cropLeft),
    right: clip((x + width) * scaleX - cropLeft),
    top: clip(y * scaleY - cropTop),
    bottom: clip((y + height) * scaleY - cropTop),
  };
}

/** One heatmap frame's mass inside the rectangle over its total; 0 when it has no mass. */
export function frameShare(heatmap: CompactHeatmap, frame: number, rectangle: InputRectangle, imageSize: number): number {
  const cellWidth = imageSize / heatmap.width;
  const cellHeight = imageSize / heatmap.height;
  const columnWeights = Array.from({ length: heatmap.width }, (_, column) => overlap(rectangle.left, rectangle.right, column * cellWidth, (column + 1) * cellWidth) / cellWidth);
  const offset = frame * heatmap.height * heatmap.width;
  let inside = 0;
  let total = 0;
  for (let row = 0; row < heatmap.height; row += 1) {
    const rowWeight = overlap(rectangle.top, rectangle.bottom, row * cellHeight, (row + 1) * cellHeight) / cellHeight;
    for (let column = 0; column < heatmap.width; column += 1) {
      const value = heatmap.data[offset + row * heatmap.width + column] as number;
      total += value;
      inside += value * rowWeight * (columnWeights[column] as number);
    }
  }
  return total > 0 ? inside / total : 0;
}

function boxValues(box: BoxLike): [number, number, number, number] {
  return 'x' in box ? [box.x, box.y, box.width, box.height] : [box[0], box[1], box[2], box[3]];
}

function overlap(from: number, to: number, cellFrom: number, cellTo: number): number {
  return Math.max(0, Math.min(to, cellTo) - Math.max(from, cellFrom));
}

function evenFloor(value: number): number {
  return 2 * Math.floor(value / 2);
}

function checkInput(input: HeatmapMassInput): void {
  const { heatmap } = input;
  const problems: string[] = [];
  for (const [name, value] of [['frames', heatmap.frames], ['rows', heatmap.height], ['columns', heatmap.width]] as const) {
    if (!Number.isInteger(value) || value < (name === 'frames' ? 0 : 1)) problems.push(`heatmap ${name} ${value} is not a valid count`);
  }
  if (problems.length === 0 && heatmap.data.length !== heatmap.frames * heatmap.height * heatmap.width) {
    problems.push(`the heatmap holds ${heatmap.data.length} bytes, not frames × rows × columns = ${heatmap.frames * heatmap.height * heatmap.width}`);
  }
  if (input.boxes.length === 0) problems.push('there are no boxes');
  if (!(input.fps > 0) || !Number.isFinite(input.fps)) problems.push(`the box frame rate ${input.fps} is not positive`);
  if (!(input.videoWidth >= 1 && input.videoHeight >= 1)) problems.push(`the video size ${input.videoWidth}×${input.videoHeight} is not valid`);
  if (!Number.isInteger(input.imageSize) || input.imageSize < 1) problems.push(`the input size ${input.imageSize} is not valid`);
  if (input.frameTimes.some((time) => !Number.isFinite(time))) problems.push('a frame time is not a finite number');
  if (problems.length > 0) throw new LongviewError('usage', 'bad-heatmap-input', `Cannot measure the heatmap's mass on the actor: ${problems.join('; ')}.`);
}
