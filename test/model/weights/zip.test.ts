import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openZip } from '../../../src/model/weights/zip.js';
import { layoutZip, zipBytes, type ZipLayout, type ZipRecord } from './builders.js';
import { expectModelError } from './expect-model-error.js';

const fixtures = fileURLToPath(new URL('../../fixtures/timesformer/divided-tiny', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'longview-zip-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const records: ZipRecord[] = [
  { name: 'archive/data.pkl', data: encoder.encode('pickle bytes') },
  { name: 'archive/data/0', data: new Uint8Array(64).map((_, index) => index) },
  { name: 'archive/version', data: encoder.encode('3\n'), method: 8 },
];

let counter = 0;
function save(bytes: Uint8Array): string {
  const path = join(folder, `archive-${counter++}.zip`);
  writeFileSync(path, bytes);
  return path;
}

describe('openZip on valid archives', () => {
  it('reads the torch 1.13 fixture (data descriptors, ZIP64 end records, 64-byte aligned data)', () => {
    const archive = openZip(join(fixtures, 'pytorch_model.bin'));
    try {
      expect(archive.entries.size).toBe(51);
      const pickle = archive.entries.get('pytorch_model/data.pkl')!;
      expect(pickle.method).toBe(0);
      expect(pickle.dataOffset % 64).toBe(0);
      const bytes = archive.read(pickle, 1 << 20);
      expect(bytes[0]).toBe(0x80); // PROTO
      expect(bytes[bytes.length - 1]).toBe(0x2e); // STOP
      expect(decoder.decode(archive.read(archive.entries.get('pytorch_model/version')!, 16))).toBe('3\n');
      for (const entry of archive.entries.values()) expect(entry.dataOffset % 64).toBe(0);
    } finally {
      archive.close();
    }
  });

  it.each([
    ['plain', {}],
    ['ZIP64', { zip64: true }],
    ['data descriptors', { dataDescriptor: true }],
    ['ZIP64 with data descriptors', { zip64: true, dataDescriptor: true }],
    ['an archive comment', { comment: 'x'.repeat(1000) }],
    ['data descriptors without their optional signature', { dataDescriptor: true, descriptorSignature: false }],
    ['ZIP64 data descriptors without their optional signature', { zip64: true, dataDescriptor: true, descriptorSignature: false }],
  ])('reads %s, stored and deflated', (_, options) => {
    const layout = layoutZip(records, options);
    const archive = openZip(save(zipBytes(layout)));
    try {
      expect([...archive.entries.keys()]).toEqual(records.map((record) => record.name));
      records.forEach((record, index) => {
        const entry = archive.entries.get(record.name)!;
        expect(entry.dataOffset).toBe(layout.data[index]);
        expect(archive.read(entry, 1024)).toEqual(record.data);
      });
    } finally {
      archive.close();
    }
  });
});

/** A valid archive, changed by `patch` through a DataView over its bytes. */
function broken(patch: (view: DataView, layout: ZipLayout, bytes: Uint8Array) => Uint8Array | void, options = {}, input = records): string {
  const layout = layoutZip(input, options);
  const bytes = zipBytes(layout);
  const replaced = patch(new DataView(bytes.buffer), layout, bytes);
  return save(replaced ?? bytes);
}

describe('openZip refuses broken archives', () => {
  const cases: [string, () => string, string, RegExp][] = [
    ['a file too short to be a zip', () => save(new Uint8Array(10)), 'corrupt', /too short/],
    ['no end record', () => save(new Uint8Array(4096).fill(7)), 'corrupt', /no end-of-central-directory/],
    ['an end record whose comment length misses the end of file', () => broken((view, layout) => view.setUint16(layout.eocd + 20, 5, true)), 'corrupt', /no end-of-central-directory/],
    ['a central directory offset past its end', () => broken((view, layout) => view.setUint32(layout.eocd + 16, layout.eocd + 100, true)), 'corrupt', /central directory/],
    ['more entries than the directory can hold', () => broken((view, layout) => { view.setUint16(layout.eocd + 8, 500, true); view.setUint16(layout.eocd + 10, 500, true); }), 'corrupt', /500 entries/],
    ['a declared size that exceeds the file', () => broken((view, layout) => { view.setUint32(layout.central[1]! + 20, 1 << 30, true); view.setUint32(layout.central[1]! + 24, 1 << 30, true); }, { dataDescriptor: true }), 'truncated', /claims 1073741824 bytes/],
    ['a ZIP64 size that exceeds the file', () => broken((view, layout) => { view.setBigUint64(layout.central[1]! + 46 + 'archive/data/0'.length + 4, 1n << 40n, true); view.setBigUint64(layout.central[1]! + 46 + 'archive/data/0'.length + 12, 1n << 40n, true); }, { zip64: true, dataDescriptor: true }), 'truncated', /claims/],
    ['a local header offset outside the file', () => broken((view, layout) => view.setUint32(layout.central[0]! + 42, 1 << 30, true)), 'corrupt', /local header/],
    ['a bad local header signature', () => broken((view, layout) => view.setUint32(layout.local[1]!, 0x12345678, true)), 'corrupt', /no local header/],
    ['a local header naming another file', () => broken((_view, layout, bytes) => { bytes[layout.local[1]! + 30 + 8] = 0x58; }), 'corrupt', /local header at \d+ names "archive\/Xata\/0"/],
    ['local and central methods that disagree', () => broken((view, layout) => view.setUint16(layout.local[0]! + 8, 8, true)), 'corrupt', /compression method/],
    ['local and central sizes that disagree', () => broken((view, layout) => view.setUint32(layout.local[0]! + 18, 3, true)), 'corrupt', /disagree on CRC or sizes/],
    ['a stored entry whose compressed and uncompressed sizes differ', () => broken((view, layout) => view.setUint32(layout.central[0]! + 24, 5, true)), 'corrupt', /stored entry "archive\/data.pkl" has compressed size 12 but size 5/],
    ['duplicate names', () => broken(() => undefined, {}, [records[0]!, records[0]!]), 'corrupt', /duplicate entry/],
    ['a name with ..', () => broken(() => undefined, {}, [{ name: 'archive/../../etc/passwd', data: new Uint8Array(1) }]), 'corrupt', /refusing entry name/],
    ['an absolute name', () => broken(() => undefined, {}, [{ name: '/etc/passwd', data: new Uint8Array(1) }]), 'corrupt', /refusing entry name/],
    ['a backslash name', () => broken(() => undefined, {}, [{ name: 'a\\b', data: new Uint8Array(1) }]), 'corrupt', /refusing entry name/],
    ['an unsupported method (bzip2)', () => broken((view, layout) => { view.setUint16(layout.central[0]! + 10, 12, true); view.setUint16(layout.local[0]! + 8, 12, true); }), 'unsupported', /method 12/],
    ['an encrypted entry', () => broken((view, layout) => view.setUint16(layout.central[0]! + 8, 0x0801, true)), 'unsupported', /encrypted/],
    ['a multi-disk archive', () => broken((view, layout) => view.setUint16(layout.eocd + 4, 1, true)), 'unsupported', /multi-disk/],
    ['ZIP64 markers without a ZIP64 record', () => broken((view, layout) => view.setUint32(layout.eocd + 16, 0xffffffff, true)), 'corrupt', /ZIP64/],
    ['a ZIP64 record that disagrees with the classic one', () => broken((view, layout) => view.setUint16(layout.eocd + 10, 2, true), { zip64: true }), 'corrupt', /disagree/],
  ];
  it.each(cases)('%s', (_, make, reason, text) => {
    const path = make();
    expectModelError(() => openZip(path).close(), reason, text);
  });
});

describe('ZipArchive.read checks what it returns', () => {
  it('refuses an entry larger than the caller allows, before reading it', () => {
    const archive = openZip(save(zipBytes(layoutZip(records))));
    try {
      expectModelError(() => archive.read(archive.entries.get('archive/data/0')!, 10), 'corrupt', /more than the 10 allowed/);
    } finally {
      archive.close();
    }
  });

  it('refuses a CRC mismatch', () => {
    const path = broken((view, layout) => view.setUint8(layout.data[1]!, view.getUint8(layout.data[1]!) ^ 0xff));
    const archive = openZip(path);
    try {
      expectModelError(() => archive.read(archive.entries.get('archive/data/0')!, 1024), 'corrupt', /CRC-32/);
    } finally {
      archive.close();
    }
  });

  /** Declares `size` uncompressed bytes in both the central header and the data descriptor, which must agree. */
  const declareSize = (size: number) => (view: DataView, layout: ZipLayout): void => {
    view.setUint32(layout.central[0]! + 24, size, true);
    view.setUint32(layout.descriptor[0]! + 12, size, true);
  };

  it('stops a deflate bomb at the declared size', () => {
    // 1 MiB of zeros deflates to ~1 KiB; the headers claim it inflates to 100 bytes.
    const bomb: ZipRecord = { name: 'bomb', data: new Uint8Array(1 << 20), method: 8 };
    const path = broken(declareSize(100), { dataDescriptor: true }, [bomb]);
    const patched = openZip(path);
    try {
      expectModelError(() => patched.read(patched.entries.get('bomb')!, 1 << 30), 'corrupt', /declared 100 bytes/);
    } finally {
      patched.close();
    }
  });

  it('refuses deflate data that inflates short of the declared size', () => {
    const path = broken(declareSize(5000), { dataDescriptor: true }, [{ name: 'short', data: new Uint8Array(100), method: 8 }]);
    const archive = openZip(path);
    try {
      expectModelError(() => archive.read(archive.entries.get('short')!, 1 << 20), 'corrupt', /not the declared 5000/);
    } finally {
      archive.close();
    }
  });
});

/**
 * Archives that other readers (scanners, Python's zipfile, torch's miniz) would read differently
 * from us: each is refused. See the notes, §2.3 "Zip level".
 */
describe('openZip refuses parser differentials', () => {
  const payload = encoder.encode('hello');

  /** An archive whose second entry's local header and data lie inside the first entry's data. */
  function overlapping(): string {
    const inner = { name: 'archive/data/1', data: payload };
    const innerLayout = layoutZip([inner]);
    const planted = zipBytes(innerLayout).slice(0, innerLayout.data[0]! + payload.length);
    const outer = { name: 'archive/data/0', data: planted };
    const at = layoutZip([outer]).data[0]!; // where the planted header lands
    return save(zipBytes(layoutZip([outer, { ...inner, localAt: at }])));
  }

  /** The ZIP64 end record sits right before its 20-byte locator, which sits before the classic end record. */
  const zip64Record = (layout: ZipLayout): number => layout.eocd - 20 - 56;

  const cases: [string, () => string, string, RegExp][] = [
    ['an entry inside another entry\'s data', overlapping, 'corrupt', /"archive\/data\/1" at \d+ overlaps "archive\/data\/0"/],
    ['two central entries naming one local record', () => broken((view, layout) => view.setUint32(layout.central[1]! + 42, layout.local[0]!, true), {}, [records[0]!, { name: records[0]!.name.replace('pkl', 'pkX'), data: records[0]!.data }]), 'corrupt', /names "archive\/data.pkl" but the central directory says "archive\/data.pkX"/],
    ['a local record that no central entry names, first', () => broken(() => undefined, {}, [{ name: 'evil/data.pkl', data: encoder.encode('cos\nsystem\n'), hidden: true }, ...records]), 'corrupt', /\d+ bytes at 0 belong to no entry/],
    ['a local record that no central entry names, between two', () => broken(() => undefined, {}, [records[0]!, { name: 'evil/data.pkl', data: payload, hidden: true }, records[1]!]), 'corrupt', /bytes at \d+ belong to no entry/],
    ['a local record that no central entry names, last', () => broken(() => undefined, {}, [...records, { name: 'evil/data.pkl', data: payload, hidden: true }]), 'corrupt', /before the central directory belong to no entry/],
    ['a local header that says encrypted when the central one does not', () => broken((view, layout) => view.setUint16(layout.local[0]! + 6, 0x0801, true)), 'unsupported', /"archive\/data.pkl" is encrypted \(local header\)/],
    ['a local header that says strong encryption', () => broken((view, layout) => view.setUint16(layout.local[0]! + 6, 0x0840, true)), 'unsupported', /encrypted \(local header\)/],
    ['a local data-descriptor flag (and zeroed sizes, as streaming writers leave them) the central header lacks', () => broken((view, layout) => {
      view.setUint16(layout.local[0]! + 6, 0x0808, true);
      for (const field of [14, 18, 22]) view.setUint32(layout.local[0]! + field, 0, true);
    }), 'corrupt', /disagree on the flags \(0x808 and 0x800\)/],
    ['a central data-descriptor flag the local header lacks', () => broken((view, layout) => view.setUint16(layout.central[0]! + 8, 0x0808, true)), 'corrupt', /disagree on the flags \(0x800 and 0x808\)/],
    ['a data-descriptor flag on both headers, local sizes that disagree and no descriptor', () => broken((view, layout) => {
      view.setUint16(layout.local[0]! + 6, 0x0808, true);
      view.setUint16(layout.central[0]! + 8, 0x0808, true);
      view.setUint32(layout.local[0]! + 18, 0xffff, true);
      view.setUint32(layout.local[0]! + 22, 0xffff, true);
    }), 'corrupt', /disagree on CRC or sizes/],
    ['a data-descriptor flag on both headers, zeroed local sizes and no descriptor', () => broken((view, layout) => {
      view.setUint16(layout.local[0]! + 6, 0x0808, true);
      view.setUint16(layout.central[0]! + 8, 0x0808, true);
      for (const field of [14, 18, 22]) view.setUint32(layout.local[0]! + field, 0, true);
    }), 'corrupt', /data descriptor after "archive\/data.pkl" is missing/],
    ['a data descriptor with another size', () => broken((view, layout) => view.setUint32(layout.descriptor[1]! + 12, 65, true), { dataDescriptor: true }), 'corrupt', /data descriptor after "archive\/data\/0" is missing or disagrees/],
    ['a data descriptor with another CRC', () => broken((view, layout) => view.setUint32(layout.descriptor[1]! + 4, 1, true), { dataDescriptor: true }), 'corrupt', /data descriptor after "archive\/data\/0"/],
    ['a ZIP64 data descriptor with another compressed size', () => broken((view, layout) => view.setBigUint64(layout.descriptor[0]! + 8, 13n, true), { zip64: true, dataDescriptor: true }), 'corrupt', /data descriptor after "archive\/data.pkl"/],
    ['a data descriptor that is not there', () => broken((view, layout) => view.setUint32(layout.descriptor[0]!, 0, true), { dataDescriptor: true }), 'corrupt', /data descriptor after "archive\/data.pkl" is missing/],
    ['more than 100000 entries', () => broken((view, layout) => { view.setBigUint64(zip64Record(layout) + 24, 100_001n, true); view.setBigUint64(zip64Record(layout) + 32, 100_001n, true); }, { zip64: true }), 'unsupported', /100001 zip entries is more than the 100000/],
  ];
  it.each(cases)('%s', (_, make, reason, text) => {
    const path = make();
    expectModelError(() => openZip(path).close(), reason, text);
  });

  it('the local records of a torch archive tile it exactly (both golden fixtures open)', () => {
    for (const name of ['official.pyth', 'pytorch_model.bin']) openZip(join(fixtures, name)).close();
  });
});
