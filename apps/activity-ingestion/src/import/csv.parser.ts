import { parse } from 'csv-parse/sync';
import { ProblemException } from '@pacer/http';
import { csvRowToActivity } from './csv-row.mapper';
import { ImportItem, lineTooLong, MAX_LINE_BYTES, notUtf8 } from './import-item';
import { lineText, RawLine, splitLines } from './line-splitter';

/** A logical CSV record (physical lines joined inside quoted fields) or why it could not be cut out. */
interface RecordText {
  line: number;
  text?: string;
  error?: string;
}

interface LineIn {
  line: number;
  text?: string;
  problem?: ImportItem;
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * Cuts the line stream into CSV records. With RFC 4180 quoting (a quote inside a quoted field is
 * doubled), a record goes on past a line end exactly when it holds an odd number of quotes so far, so
 * records can be found without parsing fields. An opening quote that never closes would swallow the
 * rest of the body: after `maxRecordBytes` the record is reported at the line it started on and the
 * lines after that one are read again as records of their own, so one stray quote costs one line.
 */
class RecordCutter {
  private pending: LineIn[] = [];
  private pendingBytes = 0;
  private odd = false;

  constructor(private readonly maxRecordBytes: number) {}

  push(lines: readonly LineIn[], out: RecordText[]): void {
    let queue: readonly LineIn[] = lines;
    let i = 0;
    while (i < queue.length) {
      const l = queue[i++] as LineIn;
      if (this.pending.length === 0) {
        if (l.problem) {
          out.push({ line: l.line, error: l.problem.errors?.[0]?.message ?? 'unreadable line' });
        } else if (l.text !== undefined && l.text.trim() !== '') {
          if (countQuotes(l.text) % 2 === 0) {
            out.push({ line: l.line, text: l.text });
          } else {
            this.pending = [l];
            this.pendingBytes = Buffer.byteLength(l.text);
            this.odd = true;
          }
        }
        continue;
      }
      const text = l.text ?? '';
      const bytes = Buffer.byteLength(text) + 1;
      if (l.problem || this.pendingBytes + bytes > this.maxRecordBytes) {
        queue = [...this.abandon(out), l, ...queue.slice(i)];
        i = 0;
        continue;
      }
      this.pending.push(l);
      this.pendingBytes += bytes;
      if (countQuotes(text) % 2 === 1) this.odd = !this.odd;
      if (!this.odd) {
        out.push({
          line: (this.pending[0] as LineIn).line,
          text: this.pending.map((p) => p.text ?? '').join('\n'),
        });
        this.pending = [];
        this.pendingBytes = 0;
      }
    }
  }

  end(out: RecordText[]): void {
    while (this.pending.length > 0) this.push(this.abandon(out), out);
  }

  /** Reports the open record as unterminated and hands back its lines after the first, to be read again. */
  private abandon(out: RecordText[]): LineIn[] {
    const [first, ...rest] = this.pending;
    out.push({
      line: first?.line ?? 0,
      error: `a quoted field is not closed (a record may span lines but is at most ${this.maxRecordBytes} bytes)`,
    });
    this.pending = [];
    this.pendingBytes = 0;
    this.odd = false;
    return rest;
  }
}

function toLineIn(raw: RawLine): LineIn {
  if (raw.tooLong) return { line: raw.line, problem: lineTooLong(raw.line) };
  const text = lineText(raw);
  return text === undefined ? { line: raw.line, problem: notUtf8(raw.line) } : { line: raw.line, text };
}

const CSV_MESSAGES: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field is followed by other characters before the next comma',
  INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field (quote the field and double the quote)',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
};

function parseOne(text: string): string[] | string {
  try {
    const rows = parse(text, { relax_column_count: true, record_delimiter: '\n' }) as string[][];
    if (rows.length !== 1) return 'the record could not be read as one CSV row';
    return rows[0] as string[];
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? '');
    return CSV_MESSAGES[code] ?? (e instanceof Error ? e.message : 'malformed CSV');
  }
}

/** Parses many records with one csv-parse call (fast path); a batch with a bad record is parsed one by one. */
function parseRecords(records: readonly RecordText[]): (string[] | string)[] {
  const texts = records.filter((r) => r.text !== undefined);
  let rows: string[][] | undefined;
  if (texts.length > 0) {
    try {
      const parsed = parse(texts.map((r) => r.text).join('\n'), {
        relax_column_count: true,
        record_delimiter: '\n',
      }) as string[][];
      if (parsed.length === texts.length) rows = parsed;
    } catch {
      rows = undefined;
    }
  }
  let k = 0;
  return records.map((r) => {
    if (r.text === undefined) return r.error ?? 'unreadable record';
    const row = rows ? (rows[k++] as string[]) : parseOne(r.text);
    return row;
  });
}

function readHeader(fields: string[], line: number): string[] {
  const names = fields.map((f) => f.trim());
  const errors = names.flatMap((n, i) => {
    if (n === '') return [{ path: `header.${i}`, message: 'a column has no name' }];
    if (names.indexOf(n) !== i) return [{ path: `header.${i}`, message: `column ${n} appears twice` }];
    return [];
  });
  if (errors.length > 0) {
    throw ProblemException.validation(errors, `The CSV header (line ${line}) is not valid.`);
  }
  return names;
}

/**
 * CSV body (header row first) → activities. See csv-row.mapper.ts for how cells become fields.
 * A record that cannot be parsed, or whose field count differs from the header's, is reported
 * with its line number and the import goes on. A broken header stops the import with a 400.
 */
export async function* csvItems(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxRecordBytes = MAX_LINE_BYTES,
): AsyncGenerator<ImportItem[]> {
  const cutter = new RecordCutter(maxRecordBytes);
  let header: string[] | undefined;
  const convert = (records: RecordText[]): ImportItem[] => {
    const items: ImportItem[] = [];
    const rows = parseRecords(records);
    records.forEach((r, i) => {
      const row = rows[i] as string[] | string;
      if (typeof row === 'string' && header === undefined) {
        throw ProblemException.validation(
          [{ path: 'header', message: row }],
          `The CSV header (line ${r.line}) is not valid.`,
        );
      } else if (typeof row === 'string') {
        items.push({ line: r.line, errors: [{ path: '', message: row }] });
      } else if (header === undefined) {
        header = readHeader(row, r.line);
      } else if (row.length !== header.length) {
        items.push({
          line: r.line,
          errors: [
            { path: '', message: `the row has ${row.length} fields, the header has ${header.length}` },
          ],
        });
      } else {
        const mapped = csvRowToActivity(header, row);
        items.push(mapped.ok ? { line: r.line, raw: mapped.raw } : { line: r.line, errors: mapped.errors });
      }
    });
    return items;
  };
  for await (const lines of splitLines(source, maxRecordBytes)) {
    const records: RecordText[] = [];
    cutter.push(lines.map(toLineIn), records);
    const items = convert(records);
    if (items.length > 0) yield items;
  }
  const records: RecordText[] = [];
  cutter.end(records);
  const items = convert(records);
  if (items.length > 0) yield items;
  if (header === undefined) {
    throw ProblemException.validation(
      [{ path: 'header', message: 'the CSV body has no header row' }],
      'The CSV body is empty.',
    );
  }
}
