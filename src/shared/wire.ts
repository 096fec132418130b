/**
 * JSON with bytes: the `longview serve` WebSocket carries `ServerMessage`s as text, and window
 * heatmaps and thumbnails are Uint8Arrays. They travel as `{ "$bytes": "<base64>" }`; no other
 * object may have a `$bytes` key (none in api.ts does). Pure: no imports, runs in the renderer too.
 */

const BYTES_KEY = '$bytes';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map([...ALPHABET].map((character, index) => [character, index]));

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Uint8Array ? { [BYTES_KEY]: bytesToBase64(item) } : item));
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      const encoded = record[BYTES_KEY];
      if (typeof encoded === 'string' && Object.keys(record).length === 1) return base64ToBytes(encoded);
    }
    return item;
  });
}

export function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    text += ALPHABET[(triple >> 18) & 63]! + ALPHABET[(triple >> 12) & 63]!;
    text += b === undefined ? '=' : ALPHABET[(triple >> 6) & 63]!;
    text += c === undefined ? '=' : ALPHABET[triple & 63]!;
  }
  return text;
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64: length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let written = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const character = text[i + j]!;
      const value = character === '=' && i + j >= text.length - padding ? 0 : LOOKUP.get(character);
      if (value === undefined) throw new Error(`base64: unexpected character ${JSON.stringify(character)}`);
      triple = (triple << 6) | value;
    }
    for (let shift = 16; shift >= 0 && written < bytes.length; shift -= 8) bytes[written++] = (triple >> shift) & 255;
  }
  return bytes;
}
