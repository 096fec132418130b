/**
 * Turns a child's stderr bytes into lines and keeps the recent ones, with bounded memory.
 *
 * ffmpeg can print for hours (one showinfo line per frame), and a hostile file can make it print
 * very long lines, so neither the pending partial line nor the kept history may grow with the
 * input: a line longer than `maxLineLength` is cut, and only the last `capacity` lines are kept.
 */

/** Splits a byte stream into text lines (\n, \r\n or a lone \r end a line). */
export class LineSplitter {
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  /** @param maxLineLength characters kept of one line; the rest of that line is dropped. */
  constructor(private readonly maxLineLength: number = 64 * 1024) {}

  /** The lines completed by `chunk`. */
  push(chunk: Uint8Array): string[] {
    return this.split(this.decoder.decode(chunk, { stream: true }));
  }

  /** The unterminated last line, if any, once the stream has ended. */
  end(): string[] {
    const lines = this.split(this.decoder.decode());
    if (this.pending !== '') lines.push(this.pending);
    this.pending = '';
    return lines;
  }

  private split(text: string): string[] {
    const parts = (this.pending + text).split(/\r\n|\n|\r/);
    this.pending = clip(parts.pop() ?? '', this.maxLineLength);
    return parts.map((line) => clip(line, this.maxLineLength));
  }
}

/** The last `capacity` lines, each clipped to `maxLineLength` characters. */
export class LineRing {
  private readonly lines: string[] = [];

  constructor(
    private readonly capacity: number = 64,
    private readonly maxLineLength: number = 500,
  ) {}

  push(line: string): void {
    this.lines.push(clip(line, this.maxLineLength));
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  /** Oldest first. */
  snapshot(): string[] {
    return [...this.lines];
  }
}

function clip(line: string, maxLength: number): string {
  return line.length > maxLength ? `${line.slice(0, maxLength)}…` : line;
}
