/** Canonical JSON and the store key digest: equal keys hash equal, any real change hashes differently. */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/analysis/store/canonical-json.js';
import { storeKeyDigest } from '../../../src/analysis/store/identity.js';
import { LongviewError } from '../../../src/shared/errors.js';
import { sampleKey } from './sample-windows.js';

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['sorted keys, nested', { b: 1, a: { d: [3, 1], c: null } }, '{"a":{"c":null,"d":[3,1]},"b":1}'],
    ['keys by UTF-16 code unit', { é: 1, z: 2, Z: 3 }, '{"Z":3,"z":2,"é":1}'],
    ['undefined members left out', { a: undefined, b: true }, '{"b":true}'],
    ['shortest round-trip numbers', { x: 0.1, y: Math.fround(0.1), z: 1e21 }, '{"x":0.1,"y":0.10000000149011612,"z":1e+21}'],
    ['strings escaped as JSON', { text: 'a"b\n' }, '{"text":"a\\"b\\n"}'],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { k: 'v' }), '{"k":"v"}'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('gives the same text whatever order keys were added in', () => {
    expect(canonicalJson({ mean: [0.45, 0.45, 0.45], rescale: 1 / 255, std: [0.225, 0.225, 0.225] })).toBe(
      canonicalJson({ std: [0.225, 0.225, 0.225], rescale: 1 / 255, mean: [0.45, 0.45, 0.45] }),
    );
  });

  it.each<[string, unknown]>([
    ['NaN', { x: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a bigint', { x: 1n }],
    ['a function', { x: () => 1 }],
    ['a typed array', { x: new Float32Array(2) }],
    ['a Date', { x: new Date(0) }],
    ['undefined inside an array', [1, undefined]],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(LongviewError);
  });
});

describe('storeKeyDigest', () => {
  const base = sampleKey({ sampling: { samplingFps: 30, frameStride: 4 }, imageSize: 448 });

  it('is 64 hex digits and ignores the order of parameters and stray properties', () => {
    const digest = storeKeyDigest(base);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(storeKeyDigest({ ...base, parameters: { imageSize: 448, sampling: { frameStride: 4, samplingFps: 30 } } })).toBe(digest);
    expect(storeKeyDigest({ ...base, video: { ...base.video, path: '/elsewhere.mp4' } as typeof base.video })).toBe(digest);
  });

  it.each<[string, (key: typeof base) => typeof base]>([
    ['video size', (key) => ({ ...key, video: { ...key.video, sizeBytes: key.video.sizeBytes + 1 } })],
    ['video hash', (key) => ({ ...key, video: { ...key.video, sha256: 'ef'.repeat(32) } })],
    ['model checksum', (key) => ({ ...key, modelChecksum: 'ef'.repeat(32) })],
    ['a parameter', (key) => ({ ...key, parameters: { ...key.parameters, imageSize: 224 } })],
    ['a nested parameter', (key) => ({ ...key, parameters: { ...key.parameters, sampling: { samplingFps: 30, frameStride: 2 } } })],
    ['an added parameter', (key) => ({ ...key, parameters: { ...key.parameters, attention: 'divided' } })],
  ])('changes with the %s', (_name, change) => {
    expect(storeKeyDigest(change(base))).not.toBe(storeKeyDigest(base));
  });
});
