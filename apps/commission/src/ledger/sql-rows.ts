import { EntityManager } from 'typeorm';

// Row shapes and helpers every commission repository shares. Every repository function takes the caller's
// EntityManager, so a batch or an API call reads and writes inside its own transaction.

export interface RepRef {
  tenantId: string;
  repId: string;
}

export function repKey(tenantId: string, repId: string): string {
  return JSON.stringify([tenantId, repId]);
}

export interface StatementKey extends RepRef {
  periodKey: string;
}

export function statementKey(tenantId: string, repId: string, periodKey: string): string {
  return JSON.stringify([tenantId, repId, periodKey]);
}

export function columns<T>(rows: readonly T[], ...pick: ((row: T) => unknown)[]): unknown[][] {
  return pick.map((f) => rows.map(f));
}

// Postgres takes at most 65,535 parameters per statement.
export const MAX_PARAMETERS = 60_000;

/**
 * Inserts rows as a multi-row VALUES list with one parameter per cell. Large text (JSON documents)
 * then travels as plain parameters, where an unnest of arrays would have the driver escape every
 * quote of every document into an array literal.
 */
export async function insertRows(
  manager: EntityManager,
  head: string,
  casts: readonly string[],
  rows: readonly unknown[][],
  tail = '',
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / casts.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const cells = casts.map((cast, i) => {
        params.push(row[i]);
        return `$${params.length}${cast}`;
      });
      return `(${cells.join(', ')})`;
    });
    await manager.query(`${head} VALUES ${tuples.join(', ')} ${tail}`, params);
  }
}

/**
 * Inserts one row of a read-model table, or where its `key` is already stored updates the `values`
 * columns and `updated_at`. Table and column names come from code, never from input.
 */
export async function upsertRow(
  manager: EntityManager,
  table: string,
  key: Readonly<Record<string, unknown>>,
  values: Readonly<Record<string, unknown>>,
): Promise<void> {
  const keys = Object.keys(key);
  const sets = Object.keys(values);
  const all = [...keys, ...sets];
  await manager.query(
    `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sets.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()`,
    [...Object.values(key), ...Object.values(values)],
  );
}

/** A rep's rows of a per-rep table (`select` from `table`), in `orderBy` order. */
export async function rowsOfRep<R>(
  manager: EntityManager,
  table: string,
  select: string,
  orderBy: string,
  ref: RepRef,
): Promise<R[]> {
  return (await manager.query(
    `SELECT ${select} FROM ${table} WHERE tenant_id = $1 AND rep_id = $2 ORDER BY ${orderBy}`,
    [ref.tenantId, ref.repId],
  )) as R[];
}
