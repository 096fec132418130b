/**
 * The demo sample shipped in resources/samples: three minutes of the synthetic activities, with
 * segments of 4–16 s so that every activity appears at least twice (the plan draws least-used
 * activities first). Regenerate with `npm run generate:sample`.
 */
import { basename } from 'node:path';
import { sampleVideoPath } from '../models/demo-model.js';
import { generateVideo, type GeneratedVideo } from './generate-video.js';
import { planActivities, type PlannedActivity } from './plan.js';

export const SAMPLE_SEED = 20261125;
export const SAMPLE_SECONDS = 180;
export const SAMPLE_PLAN_OPTIONS = { minSeconds: 4, maxSeconds: 16 } as const;
/** Fixed, so regenerating gives byte-identical truth files. */
const SAMPLE_CREATED_AT = new Date('2026-11-25T00:00:00.000Z');

export function samplePlan(): PlannedActivity[] {
  return planActivities(SAMPLE_SEED, SAMPLE_SECONDS, SAMPLE_PLAN_OPTIONS);
}

export function generateSample(path: string = sampleVideoPath()): Promise<GeneratedVideo> {
  return generateVideo({
    path,
    seed: SAMPLE_SEED,
    durationSeconds: SAMPLE_SECONDS,
    plan: samplePlan(),
    // A relative name: the shipped file must not carry the build machine's folders.
    documentVideoPath: basename(path),
    createdAt: SAMPLE_CREATED_AT,
  });
}
