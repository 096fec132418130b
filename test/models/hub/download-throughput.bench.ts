/**
 * Measures (never asserts) download throughput from the mock Hub for a 100 MiB blob, with the
 * SHA-256 check and without it (an ETag the hasher cannot check), plus SHA-256 alone, so the cost
 * of verification can be read off. Run: npm run bench:download
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadBlob } from '../../../src/models/hub/download-file.js';
import { createHubTransport } from '../../../src/models/hub/http-transport.js';
import { generatedRepository, sha256Hex, startMockHub } from '../mock-hub.js';

const MEBIBYTE = 1024 * 1024;
const SIZE = 100 * MEBIBYTE;
const ROUNDS = 3;

async function main(): Promise<void> {
  const weights = randomBytes(SIZE);
  const sha256 = sha256Hex(weights);
  const hub = await startMockHub({ repositories: [generatedRepository('bench/weights', weights)] });
  const transport = createHubTransport({ httpProxy: '', httpsProxy: '', noProxy: '' });
  const folder = mkdtempSync(join(tmpdir(), 'longview-hub-bench-'));
  const connection = { endpoint: hub.url, token: undefined, fetch: transport.fetch };
  const subject = { endpoint: hub.url, repository: 'bench/weights', revision: 'main', file: 'model.safetensors', sentToken: false };
  try {
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const [label, etag] of [['verified (SHA-256)', sha256], ['unverified (size only)', 'unverifiable-etag']] as const) {
        const blobPath = join(folder, `${round}-${etag}`);
        const started = performance.now();
        await downloadBlob({ connection, url: `${hub.url}/cdn-lfs/${sha256}`, subject, etag, size: SIZE, blobPath });
        const seconds = (performance.now() - started) / 1000;
        console.log(`round ${round} ${label}: ${(SIZE / MEBIBYTE / seconds).toFixed(0)} MiB/s (${seconds.toFixed(2)} s)`);
        rmSync(blobPath);
      }
    }
    const hashStarted = performance.now();
    const hash = createHash('sha256');
    for (let offset = 0; offset < SIZE; offset += 64 * 1024) hash.update(weights.subarray(offset, offset + 64 * 1024));
    hash.digest();
    const hashSeconds = (performance.now() - hashStarted) / 1000;
    console.log(`SHA-256 alone, 64 KiB chunks: ${(SIZE / MEBIBYTE / hashSeconds).toFixed(0)} MiB/s (${hashSeconds.toFixed(2)} s per 100 MiB)`);
  } finally {
    await transport.close();
    await hub.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
