/**
 * CSV as RFC 4180 describes it: comma-separated, CRLF line ends, fields quoted when they hold a
 * comma, quote or line break. Text starting with = + - @ (or a tab or carriage return) gets a
 * leading single quote, so a spreadsheet opening the file shows a caption such as "=HYPERLINK(…)"
 * as text instead of running it as a formula (OWASP "CSV injection"); numbers are left as they are.
 */

export type CsvValue = string | number | boolean | null | undefined;

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Null, undefined and non-finite numbers are empty fields (a missing value to pandas and R alike). */
function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(String(value)) ? `'${String(value)}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
