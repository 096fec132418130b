import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The named export: under NodeNext the default import of this CommonJS module types as the module object.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildResultDocument } from '../../src/export/document.js';
import { serialize } from '../../src/export/formats.js';
import { documentInput, HOSTILE_LABELS, PLAIN_LABELS, sampleDocument } from './document-fixtures.js';

const schemaPath = join(dirname(fileURLToPath(import.meta.url)), '../../resources/schemas/longview-analysis.v1.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
// strict: an unknown keyword or a type-less constraint in the schema is an error, not ignored.
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

type Json = Record<string, unknown>;

/** A fresh, valid document as parsed JSON, for spoiling one field at a time. */
function parsedDocument(): Json {
  return JSON.parse(serialize(sampleDocument(), 'json')) as Json;
}

function at(document: Json, path: readonly (string | number)[]): Json {
  return path.reduce<Json>((value, key) => value[key] as Json, document);
}

describe('longview-analysis.v1.schema.json', () => {
  it('is a draft 2020-12 schema with an id and a title', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/longview-analysis/);
    expect(schema.title).toBeTypeOf('string');
  });

  const partial = documentInput(PLAIN_LABELS, []);
  partial.completion = { complete: false, partialReason: 'the file ends early: decoded 12.0 of 30.0 s' };
  it.each([
    ['a full document', sampleDocument()],
    ['a document with hostile labels', sampleDocument(HOSTILE_LABELS)],
    ['a partial document without segments', buildResultDocument(partial)],
    ['a document with no windows', buildResultDocument({ ...documentInput(PLAIN_LABELS, []), windows: [] })],
  ])('accepts %s as written to disk', (_, document) => {
    const valid = validate(JSON.parse(serialize(document, 'json')));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each([
    ['a missing top-level field', (document: Json) => delete document.windows],
    ['a missing segment field', (document: Json) => delete at(document, ['segments', 0]).confidence],
    ['a missing model checksum', (document: Json) => delete at(document, ['model']).checksum],
    ['a time given as text', (document: Json) => (at(document, ['segments', 0]).startSeconds = '0.5')],
    ['a fractional frame index', (document: Json) => (at(document, ['segments', 0]).startFrame = 1.5)],
    ['a boolean given as a number', (document: Json) => (at(document, ['windows', 0]).padded = 0)],
    ['a negative segment time', (document: Json) => (at(document, ['segments', 0]).startSeconds = -0.001)],
    ['a negative window time', (document: Json) => (at(document, ['windows', 1]).endSeconds = -6.4)],
    ['a negative duration', (document: Json) => (at(document, ['video']).durationSeconds = -1)],
    ['an extra top-level field', (document: Json) => (document.extra = true)],
    ['an extra field in a segment', (document: Json) => (at(document, ['segments', 0]).color = 'red')],
    ['an extra field in the segmentation settings', (document: Json) => (at(document, ['analysis', 'segmentation']).gamma = 1)],
    ['another format name', (document: Json) => (document.format = 'something-else')],
    ['another version', (document: Json) => (document.version = 2)],
    ['a confidence above 1', (document: Json) => (at(document, ['segments', 0]).confidence = 1.2)],
    ['four alternatives', (document: Json) => (at(document, ['segments', 0]).alternatives = [0, 1, 2, 3].map((index) => ({ label: 'x', index, score: 0.1 })))],
    ['an unknown score mode', (document: Json) => (at(document, ['analysis', 'segmentation']).scores = 'max')],
    ['a rotation of 45°', (document: Json) => (at(document, ['video']).rotation = 45)],
    ['a checksum that is not SHA-256 hex', (document: Json) => (at(document, ['model']).checksum = 'not-a-hash')],
    ['a creation time that is not ISO 8601', (document: Json) => (document.createdAt = 'yesterday')],
    ['a partial reason of the wrong type', (document: Json) => (at(document, ['analysis']).partialReason = 42)],
    ['two normalization channels', (document: Json) => (at(document, ['analysis', 'normalization']).mean = [0.4, 0.4])],
  ])('refuses %s', (_, spoil) => {
    const document = parsedDocument();
    expect(validate(document)).toBe(true);
    spoil(document);
    expect(validate(document)).toBe(false);
  });
});
