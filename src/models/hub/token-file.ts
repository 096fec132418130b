/**
 * The I/O edge of hub-settings: reads the token file `huggingface-cli login` (`hf auth login`)
 * writes to $HF_HOME/token.
 */
import { readFileSync } from 'node:fs';

/** The file's text, or undefined when it is missing or unreadable (no token is not an error). */
export function readTokenFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
