/**
 * Test helper (not a test): the real `longview serve` as a child process, as a user starts it
 * (`node dist/src/cli/longview.js serve --no-open --data-dir D video…`), with the printed address
 * parsed from its stdout. No --port: the server then takes a free one (`--port 0` is refused by the
 * CLI, which wants 1..65535). `npm test` builds dist/ first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/src/cli/longview.js', import.meta.url));
/** Starting includes probing the startup videos; a loaded CI machine can take a while. */
const START_LIMIT_MS = 60_000;
/** After Ctrl-C the server cancels jobs and closes sockets; past this it is killed. */
const STOP_LIMIT_MS = 20_000;

export interface ServeOptions {
  dataDirectory: string;
  /** LONGVIEW_CACHE_DIR: the analysis store and `<cache>/models/`, which the model picker lists. */
  cacheDirectory: string;
  /** HF_HOME, so the picker does not list whatever the machine's Hugging Face cache holds. */
  huggingFaceHome: string;
  videos: readonly string[];
}

export interface ServeProcess {
  /** http://127.0.0.1:PORT/?token=… as printed. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  /** Everything the process wrote so far (stdout then stderr), for failure messages. */
  output(): string;
  /** Ctrl-C (SIGINT), then SIGKILL if it does not exit in time; resolves when it has exited. */
  stop(): Promise<void>;
}

export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests.`);
  const environment: NodeJS.ProcessEnv = { ...process.env, LONGVIEW_CACHE_DIR: options.cacheDirectory, HF_HOME: options.huggingFaceHome, HF_HUB_OFFLINE: '1' };
  delete environment.LONGVIEW_DATA_DIR;
  delete environment.HF_HUB_CACHE;
  delete environment.HUGGINGFACE_HUB_CACHE;
  const child = spawn(process.execPath, [CLI, 'serve', '--no-open', '--data-dir', options.dataDirectory, ...options.videos], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const output = (): string => `${stdout}${stderr}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`longview serve printed no address within ${START_LIMIT_MS / 1000} s; it wrote:\n${output()}`));
    }, START_LIMIT_MS);
    const look = (): void => {
      const match = /Longview is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      resolve(match[1]!);
    };
    child.stdout!.on('data', look);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`longview serve exited (${code ?? signal}) before printing its address; it wrote:\n${output()}`));
    });
  });
  const parsed = new URL(url);
  return { url, origin: parsed.origin, token: parsed.searchParams.get('token') ?? '', output, stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
  await exited;
  clearTimeout(timer);
}
