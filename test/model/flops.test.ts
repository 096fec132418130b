import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type AttentionType } from '../../src/model/config.js';
import { forwardFlops } from '../../src/model/flops.js';

const base = { ...DEFAULT_CONFIG, id2label: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [i, `c${i}`])) };

describe('forwardFlops', () => {
  it('counts one TimeSformer-Base divided block at 8×224 as 32.48 GFLOP (the CPU-backend notes)', () => {
    const oneLayer = { ...base, num_hidden_layers: 1 };
    const noLayer = { ...base, num_hidden_layers: 0 };
    const block = forwardFlops(oneLayer, { frames: 8, height: 224, width: 224 }) - forwardFlops(noLayer, { frames: 8, height: 224, width: 224 });
    expect(block / 1e9).toBeCloseTo(32.48, 2);
  });

  it.each<[AttentionType, number, number]>([
    // [type, frames, expected GFLOP for the whole 12-layer base model at 224 px, computed by hand]
    ['divided_space_time', 8, 391.7],
    ['divided_space_time', 96, 4759.7],
    ['space_only', 8, 280.9],
  ])('%s at %i frames', (attention_type, frames, gflop) => {
    const flops = forwardFlops({ ...base, attention_type }, { frames, height: 224, width: 224 });
    expect(flops / 1e9).toBeCloseTo(gflop, 0);
  });

  it('grows quadratically in tokens for joint attention', () => {
    const joint = { ...base, attention_type: 'joint_space_time' as const, num_hidden_layers: 1 };
    const at = (frames: number) => forwardFlops(joint, { frames, height: 224, width: 224 });
    expect(at(16) / at(8)).toBeGreaterThan(2);
  });
});
