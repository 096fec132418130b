/**
 * The shipped sample: its plan has every activity at least twice, and the committed files agree
 * with what the generator makes from the sample's seed (so nobody edits them by hand).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleTruthPath, sampleVideoPath } from '../../src/models/demo-model.js';
import type { ResultDocument } from '../../src/shared/result-document.js';
import { ACTIVITIES } from '../../src/synthetic/activities.js';
import type { BoxesFile } from '../../src/synthetic/generate-video.js';
import { createScene } from '../../src/synthetic/render.js';
import { SAMPLE_SECONDS, SAMPLE_SEED, samplePlan } from '../../src/synthetic/sample.js';

describe('the demo sample', () => {
  it('plans about three minutes with every activity at least twice', () => {
    const plan = samplePlan();
    expect(plan.at(-1)?.endSeconds).toBe(SAMPLE_SECONDS);
    expect(SAMPLE_SECONDS).toBeGreaterThanOrEqual(150);
    for (const activity of ACTIVITIES) expect(plan.filter((segment) => segment.activity === activity).length).toBeGreaterThanOrEqual(2);
  });

  const present = existsSync(sampleVideoPath());
  it.skipIf(!present)('ships a small MP4 whose truth and boxes match the generator', () => {
    expect(statSync(sampleVideoPath()).size).toBeLessThan(8 * 1024 * 1024);
    const truth = JSON.parse(readFileSync(sampleTruthPath(), 'utf8')) as ResultDocument;
    expect(truth.video.path).toBe('demo-activities.mp4');
    expect(truth.segments.map((segment) => [segment.label, segment.startSeconds, segment.endSeconds])).toEqual(
      samplePlan().map((planned) => [planned.activity, planned.startSeconds, planned.endSeconds]),
    );
    const boxes = JSON.parse(readFileSync(sampleVideoPath().replace(/\.mp4$/, '.boxes.json'), 'utf8')) as BoxesFile;
    expect(boxes.boxes).toHaveLength(SAMPLE_SECONDS * boxes.fps);
    const scene = createScene(SAMPLE_SEED, boxes.width, boxes.height, samplePlan());
    for (let frame = 0; frame < boxes.boxes.length; frame += 97) {
      const box = scene.boxAt(frame, boxes.fps);
      expect(boxes.boxes[frame]).toEqual([box.x, box.y, box.width, box.height]);
    }
  });
});
