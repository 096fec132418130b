/**
 * Child-process fixture for backend.test.ts: starts wasm with 2 threads, runs a matMul and returns
 * from main without `process.exit()` or `shutdownBackend()`. The test passes only if this process
 * then exits on its own (the 'beforeExit' hook that initBackend installs stops the pthread workers).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/model/backend.js';

async function main(): Promise<void> {
  const report = await initBackend({ backend: 'wasm', threads: 2 });
  const product = tf.matMul(tf.randomNormal([256, 256]), tf.randomNormal([256, 256]));
  const total = (await tf.sum(product).data())[0];
  process.stdout.write(`${JSON.stringify({ backend: report.tfBackend, threads: report.threads, simd: report.simd, finite: Number.isFinite(total) })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
