/** Plain-text tables for the terminal: left-aligned columns, two spaces apart, one line a row. */

/** Untrusted text (labels, paths from model files) kept on one line and free of terminal escapes. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => row.map(printable));
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]?.length ?? 0)));
  // The last column is not padded, so lines carry no trailing spaces.
  const format = (row: readonly string[]): string => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return `${[format(header), ...cells.map(format)].join('\n')}\n`;
}
