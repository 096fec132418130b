/** Process exit codes of `longview`, one per error kind, so scripts can tell failures apart. */
import type { ErrorKind } from '../shared/errors.js';

export const EXIT_OK = 0;

export const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  internal: 1,
  usage: 2,
  input: 3,
  model: 4,
  backend: 5,
};

/** Ctrl-C, as shells report a process ended by SIGINT (128 + 2). */
export const EXIT_CANCELLED = 130;
