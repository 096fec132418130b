/**
 * Child process for crash.test.ts: opens (resuming) the store of sampleKey() in the cache folder
 * given on the command line, prints "opened <windows already there>", then appends realistic
 * windows from there up to the given total, printing each index only after append returned (so
 * every printed index is durably stored), and finally the finished record and "finished".
 * The test SIGKILLs it at random moments.
 */
import { writeSync } from 'node:fs';
import { AnalysisStore } from '../../../src/analysis/store/analysis-store.js';
import { CRASH_SUMMARY, sampleKey, sampleWindow } from './sample-windows.js';

const [cacheDirectory, totalText] = process.argv.slice(2);
const total = Number(totalText);
const store = AnalysisStore.open(cacheDirectory!, sampleKey(), { resume: true });
// writeSync on fd 1: no buffering in this process, so a printed line means append had returned.
writeSync(1, `opened ${store.windows.length}\n`);
for (let index = store.windows.length; index < total; index++) {
  store.append(sampleWindow(index));
  writeSync(1, `${index}\n`);
}
if (store.finished === undefined) store.finish(CRASH_SUMMARY);
store.close();
writeSync(1, 'finished\n');
