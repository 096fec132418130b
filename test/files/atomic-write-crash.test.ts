/**
 * Crash safety of writeFileAtomic, tested by crashing: a child process rewrites a large JSON file
 * in a loop and is SIGKILLed at varying points; afterwards the destination (and its .bak) must
 * each be one complete version. The child runs plain JavaScript transpiled from the real source
 * (typescript's transpileModule), so each of the many child processes starts in node's own time.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TRIALS = 60;
/** Parallel children: the CI machine has 2 cores. */
const LANES = 2;
/** Numbers per document: ~0.5 MB of JSON, so a write takes long enough to be interrupted inside. */
const ITEMS = 120_000;

/** The child: announces each completed write on stdout, forever, until killed. */
const WRITER = `
import { writeFileAtomic } from './src/files/atomic-write.js';
const [destination, items] = process.argv.slice(2);
for (let version = 1; ; version += 1) {
  writeFileAtomic(destination, JSON.stringify({ version, items: new Array(Number(items)).fill(version) }));
  process.stdout.write(version + '\\n');
}
`;

let workspace: string;

/** Writes `source` (a path under the repository) and every module it imports relatively, as JavaScript, under `workspace`. */
function transpileWithImports(source: string, done = new Set<string>()): void {
  if (done.has(source)) return;
  done.add(source);
  const text = readFileSync(join(repository, source), 'utf8');
  const output = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
  const target = join(workspace, source.replace(/\.ts$/, '.js'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, output);
  for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
    transpileWithImports(join(dirname(source), `${match[1]}.ts`), done);
  }
}

function completeVersion(path: string): number {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { version: number; items: number[] };
  expect(parsed.items).toHaveLength(ITEMS);
  expect(parsed.items.every((item) => item === parsed.version)).toBe(true);
  return parsed.version;
}

/** Deterministic "random" kill points, so a failure can be replayed: a small linear congruential generator. */
function killPoints(count: number): { afterWrites: number; extraMilliseconds: number }[] {
  let state = 20_250_301;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, () => ({ afterWrites: Math.floor(next() * 4), extraMilliseconds: Math.floor(next() * 15) }));
}

interface Outcome {
  writesSeen: number;
  signal: NodeJS.Signals | null;
  destinationVersion: number;
  backupVersion: number | undefined;
  strayFiles: number;
}

/** One trial: start from version 0, let the child finish `afterWrites` writes, wait a little more, kill it. */
async function trial(folder: string, afterWrites: number, extraMilliseconds: number): Promise<Outcome> {
  mkdirSync(folder);
  const destination = join(folder, 'analysis.json');
  writeFileSync(destination, JSON.stringify({ version: 0, items: new Array(ITEMS).fill(0) }));
  const child = spawn(process.execPath, [join(workspace, 'writer.mjs'), destination, String(ITEMS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.on('exit', (_, signal) => resolveExit(signal)));
  let writesSeen = 0;
  await new Promise<void>((resolveKill) => {
    const kill = () => setTimeout(() => { child.kill('SIGKILL'); resolveKill(); }, extraMilliseconds);
    if (afterWrites === 0) kill();
    createInterface({ input: child.stdout }).on('line', () => {
      writesSeen += 1;
      if (writesSeen === afterWrites) kill();
    });
  });
  const signal = await exited;
  const backup = `${destination}.bak`;
  const names = readdirSync(folder);
  return {
    writesSeen,
    signal,
    destinationVersion: completeVersion(destination),
    backupVersion: names.includes('analysis.json.bak') ? completeVersion(backup) : undefined,
    strayFiles: names.filter((name) => name.endsWith('.tmp')).length,
  };
}

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'longview-crash-'));
  writeFileSync(join(workspace, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(workspace, 'writer.mjs'), WRITER);
  transpileWithImports('src/files/atomic-write.ts');
});

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

describe('writeFileAtomic under SIGKILL', () => {
  it(`leaves a complete version at the destination and in .bak in ${TRIALS} crashes`, async () => {
    const points = killPoints(TRIALS);
    const outcomes: { afterWrites: number; outcome: Outcome }[] = [];
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let index = lane; index < TRIALS; index += LANES) {
          const { afterWrites, extraMilliseconds } = points[index]!;
          outcomes.push({ afterWrites, outcome: await trial(join(workspace, `trial-${index}`), afterWrites, extraMilliseconds) });
        }
      }),
    );
    expect(outcomes).toHaveLength(TRIALS);
    for (const { afterWrites, outcome } of outcomes) {
      expect(outcome.signal).toBe('SIGKILL');
      // Every announced write is on disk; one more may have landed before the kill.
      expect(outcome.destinationVersion).toBeGreaterThanOrEqual(outcome.writesSeen);
      expect(outcome.destinationVersion).toBeGreaterThanOrEqual(afterWrites);
      if (outcome.backupVersion !== undefined) expect(outcome.backupVersion).toBeLessThanOrEqual(outcome.destinationVersion);
      if (outcome.destinationVersion > 0) expect(outcome.backupVersion).toBeGreaterThanOrEqual(outcome.destinationVersion - 1);
    }
  });
});
