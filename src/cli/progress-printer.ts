/**
 * Writes an analysis's events to the terminal in one of four styles:
 *   bar    a redrawn status line (windows, %, × real time, time left) between milestone lines;
 *   lines  milestones plus a status line every few seconds, for logs and CI;
 *   json   every event as one JSON line (without pixel data), for scripts;
 *   none   nothing.
 */
import type { AnalysisEvent } from '../shared/analysis-events.js';
import { UsageError } from '../shared/errors.js';
import { AnalysisProgress, formatTimestamp } from './analysis-progress.js';
import type { Output } from './run.js';
import { printable } from './text-table.js';

export const PROGRESS_STYLES = ['bar', 'lines', 'json', 'none'] as const;
export type ProgressStyle = (typeof PROGRESS_STYLES)[number];

export function isProgressStyle(value: string): value is ProgressStyle {
  return (PROGRESS_STYLES as readonly string[]).includes(value);
}

/** The --progress flag, or the default for where stderr goes: a bar on a terminal, lines in a log. */
export function progressStyleFlag(flag: string | undefined, interactive: boolean | undefined): ProgressStyle {
  const style = flag ?? (interactive === true ? 'bar' : 'lines');
  if (!isProgressStyle(style)) throw new UsageError(`--progress must be bar, lines, json or none (got "${style}")`);
  return style;
}

/** Milliseconds between status lines in the `lines` style, and between redraws of the bar (also for downloads). */
export const LINE_INTERVAL = 5_000;
export const REDRAW_INTERVAL = 100;

/** One event as JSON without the bulky parts (logits, heatmap bytes), which belong in exports. */
export function eventJson(event: AnalysisEvent): string {
  if (event.type !== 'window') return JSON.stringify(event);
  const { logits: _logits, heatmap: _heatmap, frameTimes: _frameTimes, ...window } = event.window;
  return JSON.stringify({ ...event, window });
}

/** The milestone line an event deserves, if any. */
export function milestoneLine(event: AnalysisEvent): string | undefined {
  switch (event.type) {
    case 'probed': {
      const video = event.video;
      const rate = `${video.averageFrameRate.toFixed(2)} fps${video.variableFrameRate ? ' (variable)' : ''}`;
      return `video: ${video.path} · ${formatTimestamp(video.durationSeconds)} · ${video.width}×${video.height} · ${rate} · ${video.videoCodec}\ntools: ${event.tools}`;
    }
    case 'model':
      return [`model: ${event.id} · ${event.labels} classes · license ${event.license}`, ...event.assumptions.map((assumption) => `assumed: ${assumption}`)].join('\n');
    case 'plan': {
      const { sampling } = event;
      const window = ((sampling.windowFrames * sampling.frameStride) / sampling.samplingFps).toFixed(1);
      const stride = ((sampling.windowStrideFrames * sampling.frameStride) / sampling.samplingFps).toFixed(1);
      const stored = event.windowsStored === 0 ? '' : event.windowsStored === event.windowsTotal ? ' · all stored: re-segmenting only' : ` · ${event.windowsStored} stored: resuming`;
      return `windows: ${sampling.windowFrames} frames (1 in ${sampling.frameStride} at ${sampling.samplingFps} fps) = ${window} s, one every ${stride} s · ${event.windowsTotal ?? '?'} expected${stored}`;
    }
    case 'loaded':
      return `backend: ${event.details}`;
    case 'decoded':
      return event.partialReason === null ? undefined : `warning: ${event.partialReason}`;
    case 'finished':
      return `done: ${event.windows} windows (${event.computedNow} computed now, ${event.windows - event.computedNow} from the store)`;
    default:
      return undefined;
  }
}

export class ProgressPrinter {
  private readonly output: Output;
  private readonly style: ProgressStyle;
  private readonly state = new AnalysisProgress();
  private lastStatus = Number.NEGATIVE_INFINITY;
  private barShown = false;

  constructor(output: Output, style: ProgressStyle) {
    this.output = output;
    this.style = style;
  }

  handle(event: AnalysisEvent, now = performance.now()): void {
    this.state.update(event, now);
    if (this.style === 'none') return;
    if (this.style === 'json') {
      this.output.write(`${eventJson(event)}\n`);
      return;
    }
    const milestone = milestoneLine(event);
    if (milestone !== undefined) {
      this.clearBar();
      this.output.write(`${milestone}\n`);
    }
    const computing = event.type === 'window' || event.type === 'layer';
    if (!computing) return;
    if (this.style === 'bar' && now - this.lastStatus >= REDRAW_INTERVAL) {
      this.lastStatus = now;
      this.barShown = true;
      this.output.write(`\r${this.state.line(now)}\x1b[K`);
    } else if (this.style === 'lines' && event.type === 'window' && now - this.lastStatus >= LINE_INTERVAL) {
      this.lastStatus = now;
      const top = event.top[0];
      this.output.write(`${this.state.line(now, 0)} · at ${formatTimestamp(event.window.endSeconds)}${top === undefined ? '' : ` · ${printable(top.label)} ${top.score.toFixed(2)}`}\n`);
    }
  }

  /** Leaves the terminal on a clean line. */
  close(): void {
    this.clearBar();
  }

  private clearBar(): void {
    if (this.barShown) this.output.write('\r\x1b[K');
    this.barShown = false;
  }
}
