import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntityManager } from 'typeorm';

/** A value of one COPY text-format field. */
export type CopyValue = string | number | boolean | bigint | null;

/** Rows per chunk handed to the socket: big enough to amortise writes, small enough not to build one huge string. */
const ROWS_PER_WRITE = 1_000;

/** A field in COPY's text format: `\N` for null, and backslash, tab, newline and carriage return escaped. */
function field(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

function* lines(rows: readonly (readonly CopyValue[])[]): Generator<string> {
  for (let i = 0; i < rows.length; i += ROWS_PER_WRITE) {
    let text = '';
    for (const row of rows.slice(i, i + ROWS_PER_WRITE)) text += `${row.map(field).join('\t')}\n`;
    yield text;
  }
}

/**
 * `COPY table (columns) FROM STDIN` of `rows` on the connection of the manager's transaction (so it
 * commits or rolls back with it; the table name resolves through the transaction's search_path).
 * COPY cannot resolve conflicts: callers give it only rows they know are new, and a row that is not
 * fails the statement (and the transaction) with a unique violation rather than being dropped.
 */
export async function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) throw new Error(`COPY into ${table} needs the connection of a transaction`);
  const client = (await runner.connect()) as PoolClient;
  await pipeline(Readable.from(lines(rows)), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}
