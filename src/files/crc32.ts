/**
 * CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial and final value 0xFFFFFFFF), the
 * checksum zip and PNG use: zip entries of torch checkpoints are checked with it, and each
 * analysis-store record carries one so a torn or flipped record is noticed.
 * Node 20 has no zlib.crc32, hence our own byte-at-a-time table version (a few hundred MB/s,
 * plenty for records of tens of kilobytes).
 */

const REFLECTED_POLYNOMIAL = 0xedb88320;

/** table[b] = the CRC register after shifting the byte b through it; 256 unsigned 32-bit values. */
const table = buildTable();

function buildTable(): Uint32Array {
  const result = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let register = byte;
    for (let bit = 0; bit < 8; bit++) {
      register = register & 1 ? (register >>> 1) ^ REFLECTED_POLYNOMIAL : register >>> 1;
    }
    result[byte] = register;
  }
  return result;
}

/** The CRC-32 of `bytes` as an unsigned 32-bit number, e.g. "123456789" → 0xCBF43926. */
export function crc32(bytes: Uint8Array): number {
  let register = 0xffffffff;
  for (let position = 0; position < bytes.length; position++) {
    register = table[(register ^ bytes[position]!) & 0xff]! ^ (register >>> 8);
  }
  return (register ^ 0xffffffff) >>> 0;
}
