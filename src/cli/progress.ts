/** Progress text for long commands: pure functions, so the wording is tested, not eyeballed. */

/** 0 → "0s", 75 → "1m15s", 3725 → "1h02m"; seconds, rounded up so a remaining time never reads 0 early. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * "layer 3/12 · 25% · 0m45s left" from work done so far and the time it took (milliseconds).
 * The estimate assumes the remaining steps cost what the finished ones did on average.
 */
export function progressLine(label: string, done: number, total: number, elapsedMilliseconds: number): string {
  const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
  const remaining = done > 0 ? ((total - done) * elapsedMilliseconds) / done / 1000 : Number.NaN;
  return `${label} ${done}/${total} · ${percent}% · ${done >= total ? `done in ${formatDuration(elapsedMilliseconds / 1000)}` : `${formatDuration(remaining)} left`}`;
}
