/**
 * Untrusted parsed JSON in error messages. `String()` throws on `{"toString": null}` and
 * `JSON.stringify` overflows the stack on deeply nested arrays, so a hostile file could turn a
 * refusal into a crash. This never recurses and never says more than a few dozen characters.
 */
const MAX_TEXT = 40;
const MAX_LISTED = 8;

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) {
    // Short lists of numbers (shapes, offsets) are worth showing as they are.
    if (value.length <= MAX_LISTED && value.every((item) => typeof item === 'number')) return `[${value.join(', ')}]`;
    return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
