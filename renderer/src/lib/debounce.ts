/**
 * Calls `action` with the latest arguments once `waitMs` milliseconds pass without a new call.
 * `flush` runs a waiting call now (before the page closes, or before a dependent request).
 */
export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  flush(): void;
  cancel(): void;
}

export function debounce<A extends unknown[]>(action: (...args: A) => void, waitMs: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: A | null = null;
  const run = (): void => {
    timer = null;
    const args = latest;
    latest = null;
    if (args !== null) action(...args);
  };
  const debounced = ((...args: A) => {
    latest = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, waitMs);
  }) as Debounced<A>;
  debounced.flush = () => {
    if (timer !== null) clearTimeout(timer);
    run();
  };
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    latest = null;
  };
  return debounced;
}
