import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { buildResultDocument } from '../../src/export/document.js';
import { toEaf } from '../../src/export/eaf.js';
import type { ResultDocument } from '../../src/shared/result-document.js';
import { documentInput, HOSTILE_LABELS, PLAIN_LABELS, sampleDocument, segment } from './document-fixtures.js';

const schema = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/schemas/EAFv3.0.xsd'), 'utf8');

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'export.eaf', contents: xml }], schema: [schema] });
  return result.valid ? [] : result.errors.map((error) => error.message);
}

/** Undoes the XML escaping Longview writes (the five named entities and numeric references). */
function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The activity annotations as [start ms, end ms, value], resolved through the time slots. */
function annotations(xml: string): [number, number, string][] {
  const slots = new Map([...xml.matchAll(/<TIME_SLOT TIME_SLOT_ID="(ts\d+)" TIME_VALUE="(\d+)"\/>/g)].map((match) => [match[1]!, Number(match[2])]));
  return [...xml.matchAll(/<ALIGNABLE_ANNOTATION ANNOTATION_ID="a\d+" TIME_SLOT_REF1="(ts\d+)" TIME_SLOT_REF2="(ts\d+)">\s*<ANNOTATION_VALUE>([^<]*)<\/ANNOTATION_VALUE>/g)].map(
    (match) => [slots.get(match[1]!)!, slots.get(match[2]!)!, unescapeXml(match[3]!)],
  );
}

function attribute(xml: string, name: string): string {
  return unescapeXml(new RegExp(`${name}="([^"]*)"`).exec(xml)![1]!);
}

function withVideoPath(path: string): ResultDocument {
  const input = documentInput(PLAIN_LABELS, [segment(0, 5, 0, PLAIN_LABELS)]);
  input.video = { ...input.video, path };
  return buildResultDocument(input);
}

describe('toEaf', () => {
  it.each([
    ['plain labels', sampleDocument()],
    ['hostile labels', sampleDocument(HOSTILE_LABELS)],
    ['no segments', buildResultDocument(documentInput(PLAIN_LABELS, []))],
    ['a video path full of markup', withVideoPath('/tmp/<a href="x">&\'clip\'</a>\u0001.mov')],
    ['a Windows video path', withVideoPath('C:\\Users\\Zoë\\Videos\\my clip.MKV')],
  ])('validates against EAFv3.0.xsd: %s', async (_, document) => {
    expect(await schemaErrors(toEaf(document))).toEqual([]);
  });

  it('is actually checked by the schema (a document without TIME_ORDER fails)', async () => {
    const broken = toEaf(sampleDocument()).replace(/<TIME_ORDER>[\s\S]*<\/TIME_ORDER>\n/, '');
    expect(await schemaErrors(broken)).not.toEqual([]);
  });

  it('has one annotation per segment, at its times in milliseconds, labelled', () => {
    const document = sampleDocument();
    expect(annotations(toEaf(document))).toEqual(document.segments.map((entry) => [Math.round(entry.startSeconds * 1000), Math.round(entry.endSeconds * 1000), entry.label]));
  });

  it('gives every segment its confidence on a child tier', () => {
    const document = sampleDocument();
    const values = [...toEaf(document).matchAll(/<REF_ANNOTATION ANNOTATION_ID="a\d+" ANNOTATION_REF="a(\d+)">\s*<ANNOTATION_VALUE>([^<]*)</g)];
    expect(values.map((match) => [Number(match[1]), match[2]])).toEqual(document.segments.map((entry, position) => [position + 1, entry.confidence.toFixed(3)]));
  });

  it('declares the document as ELAN expects', () => {
    const xml = toEaf(sampleDocument());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ANNOTATION_DOCUMENT AUTHOR="Longview 0.1.0" DATE="2025-03-01T12:30:45.123Z" FORMAT="3.0" VERSION="3.0"')).toBe(true);
    expect(xml).toContain('<TIER LINGUISTIC_TYPE_REF="activity" TIER_ID="Longview activity">');
    expect(xml).toContain('<CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>');
    expect(attribute(xml, 'MEDIA_URL')).toBe('file:///videos/holiday%20clips/day%20%231%20%E2%80%93%20%C3%A9.mp4');
    expect(attribute(xml, 'RELATIVE_MEDIA_URL')).toBe('./day%20%231%20%E2%80%93%20%C3%A9.mp4');
    expect(attribute(xml, 'MIME_TYPE')).toBe('video/mp4');
  });

  it.each([
    ['/tmp/<a href="x">&\'clip\'</a>\u0001.mov', 'file:///tmp/%3Ca%20href%3D%22x%22%3E%26\'clip\'%3C/a%3E%01.mov', 'video/quicktime'],
    ['C:\\Users\\Zoë\\Videos\\my clip.MKV', 'file:///C:/Users/Zo%C3%AB/Videos/my%20clip.MKV', 'video/x-matroska'],
    ['\\\\server\\share\\100% done?.webm', 'file://server/share/100%25%20done%3F.webm', 'video/webm'],
    ['/videos/no-extension', 'file:///videos/no-extension', 'video/*'],
  ])('links %j as %s (%s)', (path, url, mimeType) => {
    const xml = toEaf(withVideoPath(path));
    expect(attribute(xml, 'MEDIA_URL')).toBe(url);
    expect(attribute(xml, 'MIME_TYPE')).toBe(mimeType);
  });

  it('escapes hostile labels and drops what XML 1.0 cannot hold', () => {
    const document = sampleDocument(HOSTILE_LABELS);
    const xml = toEaf(document);
    expect(xml).not.toContain('<img');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    const values = annotations(xml).map((entry) => entry[2]);
    expect(values).toHaveLength(document.segments.length);
    expect(values[HOSTILE_LABELS.indexOf('<img src=x onerror=alert(1)>')]).toBe('<img src=x onerror=alert(1)>');
    expect(values[HOSTILE_LABELS.indexOf('controls \u0000\u0007\u001b\u000b\u000c end')]).toBe('controls  end');
    expect(values[HOSTILE_LABELS.indexOf('carriage\rreturn\ttab')]).toBe('carriage\rreturn\ttab');
    expect(values[HOSTILE_LABELS.indexOf('lone \ud800 surrogate and \ufffe nonchar')]).toBe('lone  surrogate and  nonchar');
    expect(values[HOSTILE_LABELS.indexOf(']]> cdata end')]).toBe(']]> cdata end');
  });
});
