/** Path → model: every checkpoint format gives the same logits; labels and license are settled. */
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/shared/errors.js';
import { builtinLabels, parseLabelText } from '../../src/model/label-lists.js';
import { describeModel, detectLicense, loadModel, openModelCheckpoint } from '../../src/model/load-model.js';
import { openSafetensors } from '../../src/model/weights/safetensors.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { writeRandomCheckpoint } from '../helpers/random-checkpoint.js';

const tiny = fileURLToPath(new URL('../fixtures/timesformer/divided-tiny/', import.meta.url));

function logitsOf(path: string, configPath?: string): Float32Array {
  const { model } = loadModel(path, { configPath });
  const input = openSafetensors(join(tiny, 'input.safetensors'));
  const entry = input.entries.get('pixel_values')!;
  const pixels = tf.tensor(entry.read(), [...entry.shape]);
  input.close();
  const output = model.forward(pixels);
  const logits = output.logits.dataSync() as Float32Array;
  output.dispose();
  pixels.dispose();
  model.dispose();
  return logits;
}

describe('loadModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives identical logits from model.safetensors, pytorch_model.bin and official.pyth', () => {
    const fromSafetensors = logitsOf(tiny);
    const expected = openSafetensors(join(tiny, 'expected.safetensors'));
    const reference = expected.entries.get('logits')!.read();
    expected.close();
    for (let i = 0; i < reference.length; i++) expect(Math.abs(fromSafetensors[i]! - reference[i]!)).toBeLessThan(5e-5);
    expect(logitsOf(join(tiny, 'pytorch_model.bin'))).toEqual(fromSafetensors);
    expect(logitsOf(join(tiny, 'official.pyth'), join(tiny, 'config.json'))).toEqual(fromSafetensors);
  });

  it('reports progress after every layer', () => {
    const { model } = loadModel(tiny);
    const calls: [number, number][] = [];
    const pixels = tf.randomNormal([1, 4, 3, 32, 32]);
    const output = model.forward(pixels, { onLayer: (done, total) => calls.push([done, total]) });
    output.dispose();
    pixels.dispose();
    model.dispose();
    expect(calls).toEqual([[1, 2], [2, 2]]);
  });

  it('refuses a label file whose length differs from the class count', () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-labels-'));
    writeFileSync(join(folder, 'labels.txt'), 'a\nb\nc\n');
    expect(() => openModelCheckpoint(tiny, { labelsPath: join(folder, 'labels.txt') })).toThrow(/3 labels but the model has 5 classes/);
  });

  it('uses a label file of the right length', () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-labels-'));
    writeFileSync(join(folder, 'labels.txt'), 'chop\nstir\nfry\npour\nplate\n');
    const checkpoint = openModelCheckpoint(tiny, { labelsPath: join(folder, 'labels.txt') });
    checkpoint.source.close();
    expect(checkpoint.labels).toEqual(['chop', 'stir', 'fry', 'pour', 'plate']);
  });

  it('describes a checkpoint without reading its tensors', () => {
    const checkpoint = openModelCheckpoint(tiny);
    const description = describeModel(checkpoint);
    checkpoint.source.close();
    expect(description.labels).toEqual(['label_0', 'label_1', 'label_2', 'label_3', 'label_4']);
    expect(description.labelSource).toBeUndefined();
    expect(description.patchGrid).toBe(4);
  });
});

describe('label lists', () => {
  it.each([
    [400, 'Kinetics-400', 116, 'eating spaghetti'],
    [600, 'Kinetics-600', 0, undefined],
    [174, 'Something-Something-v2', 0, undefined],
  ])('ships the %i-class list (%s)', (count, dataset, index, name) => {
    const list = builtinLabels(count)!;
    expect(list.dataset).toBe(dataset);
    expect(list.labels).toHaveLength(count);
    expect(new Set(list.labels).size).toBe(count);
    if (name !== undefined) expect(list.labels[index]).toBe(name);
  });

  it('shows a HowTo100M model\'s 1,059 unnamed tasks as indices and says why', () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-howto-'));
    const id2label = Object.fromEntries(Array.from({ length: 1059 }, (_, index) => [index, `LABEL_${index}`]));
    writeRandomCheckpoint(folder, { ...DEFAULT_CONFIG, image_size: 32, patch_size: 16, num_frames: 2, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, id2label });
    const checkpoint = openModelCheckpoint(folder);
    checkpoint.source.close();
    expect(checkpoint.labels.slice(0, 2)).toEqual(['task 0', 'task 1']);
    expect(checkpoint.labels).toHaveLength(1059);
    expect(checkpoint.labelSource).toMatch(/HowTo100M/);
    expect(checkpoint.assumptions.join(' ')).toMatch(/never published.*--labels/);
  });

  it('has nothing for other counts', () => {
    expect(builtinLabels(5)).toBeUndefined();
  });

  it.each([
    ['a\nb\n', ['a', 'b']],
    ['\uFEFFa\r\nb\r\n\r\n', ['a', 'b']],
    ['  padded  \nx', ['padded', 'x']],
  ])('parses %j', (text, labels) => {
    expect(parseLabelText(text, 'test')).toEqual(labels);
  });

  it.each([['a\n\nb\n'], [''], ['\n\n']])('refuses %j', (text) => {
    expect(() => parseLabelText(text, 'test')).toThrow(ModelError);
  });
});

describe('detectLicense', () => {
  it('reads the model card front matter', () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-card-'));
    writeFileSync(join(folder, 'README.md'), '---\nlicense: cc-by-nc-4.0\ntags:\n- video\n---\n# Model\n');
    expect(detectLicense(folder, 'hf-folder')).toMatch(/^cc-by-nc-4.0/);
  });

  it('knows Facebook\'s checkpoints by their hub id or official file name', () => {
    const folder = mkdtempSync(join(tmpdir(), 'longview-card-'));
    writeFileSync(join(folder, 'config.json'), JSON.stringify({ _name_or_path: 'facebook/timesformer-base-finetuned-k400' }));
    expect(detectLicense(folder, 'hf-folder')).toMatch(/CC BY-NC 4.0/);
    const official = join(folder, 'TimeSformer_divST_8x32_224_K400.pyth');
    copyFileSync(join(tiny, 'official.pyth'), official);
    expect(detectLicense(official, 'official-pyth')).toMatch(/CC BY-NC 4.0/);
  });

  it('says when it does not know', () => {
    expect(detectLicense(tiny, 'hf-folder')).toMatch(/^unknown/);
  });
});
