/** Download progress text for `longview models pull`: bytes, speed and time left. Pure. */
import type { PullEvent } from '../shared/models.js';
import { withProgressBar } from './analysis-progress.js';
import { formatDuration } from './progress.js';

/** 0 → "0 B", 1536 → "1.5 KB", 486_000_000 → "486.0 MB" (decimal units, as the Hub shows sizes). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export class PullProgress {
  private totalBytes = 0;
  private receivedBytes = 0;
  /** Bytes already on disk when this run started (cached or resumed): not part of the speed. */
  private startedWith = 0;
  private started: number | undefined;

  update(event: PullEvent, now: number): void {
    if (event.type === 'resolved') this.totalBytes = event.totalBytes;
    if (event.type === 'file' && (event.cached || event.resumedFromBytes > 0)) {
      const already = event.cached ? event.sizeBytes : event.resumedFromBytes;
      this.startedWith += already;
      this.receivedBytes += already;
    }
    if (event.type === 'progress') {
      this.started ??= now;
      this.receivedBytes = event.receivedBytes;
      this.totalBytes = event.totalBytes;
    }
  }

  /** Bytes per second over this run's own transfer. */
  speed(now: number): number {
    if (this.started === undefined || now <= this.started) return Number.NaN;
    return (this.receivedBytes - this.startedWith) / ((now - this.started) / 1000);
  }

  /** "[#####.....] 243.0 MB of 486.0 MB · 50% · 12.1 MB/s · 20s left" */
  line(now: number, barWidth = 24): string {
    const fraction = this.totalBytes > 0 ? this.receivedBytes / this.totalBytes : 0;
    const parts = [withProgressBar(fraction, barWidth, `${formatBytes(this.receivedBytes)} of ${formatBytes(this.totalBytes)}`), `${Math.floor(fraction * 100)}%`];
    const speed = this.speed(now);
    if (Number.isFinite(speed) && speed > 0) {
      parts.push(`${formatBytes(speed)}/s`);
      parts.push(`${formatDuration((this.totalBytes - this.receivedBytes) / speed)} left`);
    }
    return parts.join(' · ');
  }
}
