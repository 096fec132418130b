#!/usr/bin/env node
/** The `longview` executable: everything lives in run.ts; this file only binds it to the process. */
import { runCli } from './run.js';

// The first Ctrl-C asks the running command to stop cleanly; a second one does not wait.
const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: { write: (text) => void process.stdout.write(text) },
  stderr: { write: (text) => void process.stderr.write(text) },
  signal: interrupt.signal,
  interactive: process.stderr.isTTY,
});
