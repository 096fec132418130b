import { describe, expect, it } from 'vitest';
import { parsePortFlag } from '../../src/cli/serve-command.js';
import { UsageError } from '../../src/shared/errors.js';

describe('longview serve --port', () => {
  it.each([
    [undefined, 0],
    ['0', 0],
    ['1', 1],
    ['8080', 8080],
    ['65535', 65535],
  ])('reads %s as port %d (0: any free port)', (text, port) => {
    expect(parsePortFlag(text)).toBe(port);
  });

  it.each(['', '-1', '65536', '80.5', '1e3', ' 80', 'http', '99999999999999999999'])('refuses "%s" with a usage error naming the range', (text) => {
    expect(() => parsePortFlag(text)).toThrow(UsageError);
    expect(() => parsePortFlag(text)).toThrow(/from 0 \(any free port\) to 65535/);
  });
});
