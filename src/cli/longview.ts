#!/usr/bin/env node
/** The `longview` executable: everything lives in run.ts; this file only binds it to the process. */
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: { write: (text) => void process.stdout.write(text) },
  stderr: { write: (text) => void process.stderr.write(text) },
});
