/**
 * Generates synthetic activity videos from the command line:
 *   node dist/src/synthetic/generate-main.js --seed N --seconds S --out file.mp4 [--width 288] [--height 288] [--fps 30] [--min-seconds 3] [--max-seconds 40]
 *   node dist/src/synthetic/generate-main.js --sample     (resources/samples/demo-activities.mp4)
 * Writes the video, <name>.truth.json and <name>.boxes.json, and prints the plan.
 */
import { parseArgs } from 'node:util';
import { LongviewError, UsageError } from '../shared/errors.js';
import { generateVideo, type GeneratedVideo } from './generate-video.js';
import { planActivities } from './plan.js';
import { generateSample } from './sample.js';

const USAGE = `Usage: generate-main --seed N --seconds S --out file.mp4 [--width 288] [--height 288] [--fps 30] [--min-seconds 3] [--max-seconds 40]
       generate-main --sample
`;

async function main(argv: string[]): Promise<GeneratedVideo | undefined> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seed: { type: 'string' },
      seconds: { type: 'string' },
      out: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      fps: { type: 'string' },
      'min-seconds': { type: 'string' },
      'max-seconds': { type: 'string' },
      sample: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return undefined;
  }
  if (values.sample === true) return generateSample();
  const seed = numberFlag(values.seed, 'seed');
  const seconds = numberFlag(values.seconds, 'seconds');
  if (values.out === undefined || values.out === '') throw new UsageError('--out is required');
  const plan = planActivities(seed, seconds, { minSeconds: optionalNumber(values['min-seconds'], 'min-seconds'), maxSeconds: optionalNumber(values['max-seconds'], 'max-seconds') });
  return generateVideo({
    path: values.out,
    seed,
    durationSeconds: seconds,
    width: optionalNumber(values.width, 'width'),
    height: optionalNumber(values.height, 'height'),
    fps: optionalNumber(values.fps, 'fps'),
    plan,
  });
}

function numberFlag(text: string | undefined, name: string): number {
  if (text === undefined) throw new UsageError(`--${name} is required`);
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, not "${text}"`);
  return value;
}

function optionalNumber(text: string | undefined, name: string): number | undefined {
  return text === undefined ? undefined : numberFlag(text, name);
}

try {
  const generated = await main(process.argv.slice(2));
  if (generated !== undefined) {
    for (const planned of generated.plan) {
      process.stdout.write(`${planned.startSeconds.toFixed(3).padStart(9)} – ${planned.endSeconds.toFixed(3).padStart(9)}  ${planned.activity}\n`);
    }
    process.stdout.write(`wrote ${generated.path}, ${generated.truthPath}, ${generated.boxesPath}\n`);
  }
} catch (error) {
  const known = error instanceof LongviewError || (error instanceof TypeError && 'code' in error);
  process.stderr.write(`generate-main: ${error instanceof Error ? error.message : String(error)}\n${known ? USAGE : ''}`);
  process.exitCode = error instanceof LongviewError && error.kind !== 'usage' ? 1 : 2;
}
