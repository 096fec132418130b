/**
 * Turns the analysis event stream into progress text: windows done of total, percent, speed as a
 * multiple of real time, and time left. No I/O here: the command decides where lines go.
 *
 * The estimate counts only windows computed in this run (a resumed run's stored windows cost
 * nothing) and credits the window in flight by its finished layers, so a minutes-long 96-frame
 * window still moves the bar.
 */
import type { AnalysisEvent } from '../shared/analysis-events.js';
import { formatDuration } from './progress.js';

export function progressBar(fraction: number, width: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** `text` after a bar `width` characters wide; width 0 (a log line, not a terminal) leaves the bar out. */
export function withProgressBar(fraction: number, width: number, text: string): string {
  return width > 0 ? `${progressBar(fraction, width)} ${text}` : text;
}

/** 3725.4 → "1:02:05" */
export function formatTimestamp(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(rest).padStart(2, '0')}`;
}

export class AnalysisProgress {
  windowsDone = 0;
  windowsTotal: number | null = null;
  private computed = 0;
  /** Milliseconds (performance.now) when the model was ready: compute time starts there. */
  private computeStarted: number | undefined;
  /** Seconds of video newly covered by windows computed in this run. */
  private videoSeconds = 0;
  private coveredUntil = Number.NEGATIVE_INFINITY;
  private layer: { window: number; done: number; total: number } | undefined;

  update(event: AnalysisEvent, now: number): void {
    switch (event.type) {
      case 'plan':
        this.windowsDone = event.windowsStored;
        this.windowsTotal = event.windowsTotal;
        return;
      case 'loaded':
        this.computeStarted = now;
        return;
      case 'layer':
        this.layer = { window: event.window, done: event.done, total: event.total };
        return;
      case 'window': {
        const { window } = event;
        if (this.computed === 0) this.coveredUntil = window.startSeconds;
        this.videoSeconds += Math.max(0, window.endSeconds - Math.max(window.startSeconds, this.coveredUntil));
        this.coveredUntil = Math.max(this.coveredUntil, window.endSeconds);
        this.computed += 1;
        this.windowsDone = event.windowsDone;
        this.windowsTotal = event.windowsTotal;
        this.layer = undefined;
        return;
      }
      case 'decoded':
        this.windowsTotal = event.windowsTotal;
        return;
      default:
        return;
    }
  }

  /** Windows finished in this run, plus the finished share of the one computing now. */
  private effectiveComputed(): number {
    return this.computed + (this.layer === undefined || this.layer.total === 0 ? 0 : this.layer.done / this.layer.total);
  }

  /** Seconds left, or NaN before anything was computed or while the total is unknown. */
  secondsLeft(now: number): number {
    const done = this.effectiveComputed();
    if (this.computeStarted === undefined || done <= 0 || this.windowsTotal === null) return Number.NaN;
    const perWindow = (now - this.computeStarted) / 1000 / done;
    return Math.max(0, this.windowsTotal - this.windowsDone - (done - this.computed)) * perWindow;
  }

  /** Video seconds analyzed per wall second in this run. */
  speed(now: number): number {
    if (this.computeStarted === undefined || this.computed === 0) return Number.NaN;
    return this.videoSeconds / ((now - this.computeStarted) / 1000);
  }

  /** "[#####.....] 12/40 windows · 30% · 4.2× real time · 3m10s left · window 13 layer 5/12" */
  line(now: number, barWidth = 24): string {
    const total = this.windowsTotal;
    const fraction = total === null || total === 0 ? 0 : (this.windowsDone + (this.effectiveComputed() - this.computed)) / total;
    const parts = [withProgressBar(fraction, barWidth, `${this.windowsDone}/${total ?? '?'} windows`), `${Math.floor(fraction * 100)}%`];
    const speed = this.speed(now);
    if (Number.isFinite(speed)) parts.push(`${speed >= 10 ? speed.toFixed(0) : speed.toFixed(2)}× real time`);
    const left = this.secondsLeft(now);
    parts.push(Number.isFinite(left) ? `${formatDuration(left)} left` : 'estimating time left');
    if (this.layer !== undefined) parts.push(`window ${this.layer.window + 1} layer ${this.layer.done}/${this.layer.total}`);
    return parts.join(' · ');
  }
}
