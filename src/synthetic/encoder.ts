/**
 * Raw RGB frames → an H.264 MP4 through ffmpeg's stdin. Argument array, no shell; writes wait for
 * 'drain' when the pipe is full, so at most one frame waits in memory; ffmpeg's stderr is kept
 * (last 4 kB) for the error message.
 */
import { spawn } from 'node:child_process';
import { LongviewError } from '../shared/errors.js';

export interface EncoderOptions {
  ffmpegPath: string;
  width: number;
  height: number;
  fps: number;
  /** Where the MP4 goes (overwritten). */
  outputPath: string;
}

export interface Encoder {
  /** Resolves once ffmpeg can take more. The pipe may still hold the bytes: never reuse `frame`. */
  write(frame: Uint8Array): Promise<void>;
  /** Closes stdin and waits for ffmpeg; rejects with a LongviewError when it failed. */
  finish(): Promise<void>;
  /** Kills ffmpeg (after a failure on our side). */
  abort(): void;
}

const STDERR_KEPT = 4096;

export function encoderArguments(options: Omit<EncoderOptions, 'ffmpegPath'>): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${options.width}x${options.height}`, '-r', String(options.fps), '-i', 'pipe:0',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
    '-f', 'mp4', `file:${options.outputPath}`,
  ];
}

export function startEncoder(options: EncoderOptions): Encoder {
  const child = spawn(options.ffmpegPath, encoderArguments(options), { stdio: ['pipe', 'ignore', 'pipe'], shell: false, windowsHide: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEPT);
  });
  let pipeError: Error | undefined;
  // EPIPE when ffmpeg dies early: reported by finish() with ffmpeg's own words.
  child.stdin.on('error', (error) => {
    pipeError = error;
  });
  const exited = new Promise<{ code: number | null; error: Error | undefined }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code, error: undefined }));
  });

  const failure = (why: string): LongviewError =>
    new LongviewError('backend', 'encode-failed', `ffmpeg could not encode ${options.outputPath}: ${why}${stderr.trim() === '' ? '' : ` (${stderr.trim().split('\n').slice(-3).join('; ')})`}`);

  return {
    async write(frame) {
      if (pipeError !== undefined || child.exitCode !== null) {
        const outcome = await exited;
        throw failure(outcome.error?.message ?? `it stopped early (exit code ${outcome.code})`);
      }
      if (child.stdin.write(frame)) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          child.stdin.off('drain', done);
          child.stdin.off('close', done);
          resolve();
        };
        child.stdin.on('drain', done);
        child.stdin.on('close', done);
      });
    },
    async finish() {
      child.stdin.end();
      const outcome = await exited;
      if (outcome.error !== undefined) throw failure(`it could not be started (${outcome.error.message}); install FFmpeg or set FFMPEG_PATH`);
      if (outcome.code !== 0) throw failure(`it exited with code ${outcome.code}`);
    },
    abort() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
