// CSV cells as spreadsheets read them safely: quoted when needed, and a leading = + - @ tab
// or carriage return defused with a quote, so an exported value never runs as a formula.
const formulaStart = /^[=+\-@\t\r]/;

export function toCsvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (formulaStart.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvLine(values: unknown[]): string {
  return `${values.map(toCsvCell).join(',')}\r\n`;
}
