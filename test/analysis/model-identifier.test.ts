import { describe, expect, it } from 'vitest';
import { modelIdentifier } from '../../src/analysis/model-identifier.js';

describe('modelIdentifier', () => {
  it.each([
    ['/home/a/.cache/huggingface/hub/models--facebook--timesformer-base-finetuned-k400/snapshots/8aaf40/', undefined, 'facebook/timesformer-base-finetuned-k400'],
    ['/home/a/.cache/huggingface/hub/models--fcakyon--timesformer-large-finetuned-k400/snapshots/1/model.safetensors', undefined, 'fcakyon/timesformer-large-finetuned-k400'],
    ['/models/TimeSformer_divST_96x4_224_K400.pyth', undefined, 'TimeSformer_divST_96x4_224_K400.pyth'],
    ['/models/my-model', undefined, 'my-model'],
    ['/models/my-model', 'facebook/timesformer-hr-finetuned-k600', 'facebook/timesformer-hr-finetuned-k600'],
    ['/models/my-model', '/tmp/some/local/path', 'my-model'],
  ])('%s (%s) → %s', (path, nameOrPath, expected) => {
    expect(modelIdentifier(path, nameOrPath)).toBe(expected);
  });
});
