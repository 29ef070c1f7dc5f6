import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { Response } from 'express';

/**
 * CSV exports (SPEC §6): every column is declared `text` or `number` up front, so a cell is never
 * guessed. Text cells that a spreadsheet would read as a formula are neutralised with a leading `'`
 * (OWASP "CSV injection"); number cells are written as they are, so `-12.50` stays a negative number.
 */
export type CsvCellKind = 'text' | 'number';

/** What a number column may hold: a JS number or a decimal string such as money (`"-1250.00"`). */
export type CsvNumber = number | string;

export interface CsvColumn<Row> {
  readonly header: string;
  readonly kind: CsvCellKind;
  /** `null`/`undefined` is an empty cell. */
  readonly value: (row: Row) => string | number | null | undefined;
}

/** A text column: whatever the value is, it is written as text and neutralised. */
export function csvText<Row>(header: string, value: (row: Row) => string | null | undefined): CsvColumn<Row> {
  return { header, kind: 'text', value };
}

/** A number column: the value must be a finite number or a plain decimal string, else the export fails. */
export function csvNumber<Row>(header: string, value: (row: Row) => CsvNumber | null | undefined): CsvColumn<Row> {
  return { header, kind: 'number', value };
}

// The characters OWASP lists as starting a formula in Excel, LibreOffice and Google Sheets.
const FORMULA_START = /^[=+\-@\t\r]/;
// A decimal as Pacer writes it on the wire (money, ratios): no exponent, no spaces, no thousands separators.
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Prefixes `'` to a text cell a spreadsheet would otherwise evaluate as a formula. */
export function neutraliseCsvText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Thrown when a number column is handed something that is not a number: a programming error, never user input. */
export class CsvColumnError extends Error {
  constructor(header: string, value: unknown) {
    super(`CSV column "${header}" is declared a number but got ${JSON.stringify(value)}`);
    this.name = 'CsvColumnError';
  }
}

/** The cell text of one column for one row, neutralised or checked by the column's declared kind. */
export function csvCell<Row>(column: CsvColumn<Row>, row: Row): string {
  const value = column.value(row);
  if (value === null || value === undefined) return '';
  if (column.kind === 'text') return neutraliseCsvText(String(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CsvColumnError(column.header, value);
    return String(value);
  }
  if (!PLAIN_DECIMAL.test(value)) throw new CsvColumnError(column.header, value);
  return value;
}

/** The header row and the cells of each row, in column order (what `sendCsv` writes). */
export async function* csvRecords<Row>(
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
): AsyncGenerator<string[]> {
  // Headers are ours, but they go through the same rule so a future user-named column cannot slip through.
  yield columns.map((c) => neutraliseCsvText(c.header));
  for await (const row of rows) yield columns.map((c) => csvCell(c, row));
}

/** `attachment` with an ASCII fallback name and the RFC 5987 UTF-8 name, so any id is safe in the header. */
export function csvContentDisposition(filename: string): string {
  const name = filename.toLowerCase().endsWith('.csv') ? filename : `${filename}.csv`;
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Streams `rows` as CSV (RFC 4180: CRLF, quotes only where needed, UTF-8 without a BOM) to `res`,
 * honouring back-pressure. Check access and existence before calling it: once the first byte is out
 * the status is 200, and an error after that aborts the response rather than ending it cleanly.
 */
export async function sendCsv<Row>(
  res: Response,
  filename: string,
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', csvContentDisposition(filename));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  await pipeline(Readable.from(csvRecords(columns, rows)), stringify({ record_delimiter: 'windows' }), res);
}

/** The whole CSV as a string (the same cells and quoting as `sendCsv`); for small files and tests. */
export async function csvToString<Row>(
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
): Promise<string> {
  const chunks: string[] = [];
  const stringifier = stringify({ record_delimiter: 'windows' });
  stringifier.on('data', (chunk: Buffer | string) => chunks.push(chunk.toString()));
  await pipeline(Readable.from(csvRecords(columns, rows)), stringifier);
  return chunks.join('');
}
