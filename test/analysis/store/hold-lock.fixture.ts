/**
 * Child process for lock.test.ts: takes the lock named on the command line, prints "locked", and
 * holds it until a line "release" arrives on stdin (then prints "released" and exits) or it is killed.
 */
import { createInterface } from 'node:readline';
import { acquireLock } from '../../../src/files/process-lock.js';

const lock = acquireLock(process.argv[2]!, 'holds the lock for lock.test.ts');
process.stdout.write('locked\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'release') return;
  lock.release();
  process.stdout.write('released\n');
  process.exit(0);
});
