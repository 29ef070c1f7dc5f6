import { EntityManager } from 'typeorm';
import { SHADOW_SCHEMA } from './shadow-kpi.store';

/** A live table's columns as the swap names them, read once from the catalogue. */
export interface SwapTable {
  name: string;
  /** Every column, quoted, in the live table's order (the copy never depends on column order). */
  columns: string[];
  /** The primary key's columns, quoted (every rebuilt table has one; tenant_id is among them). */
  key: string[];
  /**
   * Each column as the swap compares it: `numeric` by its text, since 1.0 = 1 would otherwise leave
   * a live value that prints differently from the rebuilt one; every other type by its own equality.
   */
  compared: string[];
}

/** Reads a live table's columns and primary key (information_schema and pg_index). */
export async function describeTable(m: EntityManager, table: string): Promise<SwapTable> {
  const columns = (await m.query(
    `SELECT column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  )) as { column_name: string; data_type: string }[];
  const key = (await m.query(
    `SELECT a.attname AS name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [`public.${table}`],
  )) as { name: string }[];
  if (key.length === 0) throw new Error(`public.${table} has no primary key: the rebuild cannot swap it by difference`);
  const quote = (c: string): string => `"${c}"`;
  return {
    name: table,
    columns: columns.map((c) => quote(c.column_name)),
    key: key.map((k) => quote(k.name)),
    compared: columns.map((c) => (c.data_type === 'numeric' ? `${quote(c.column_name)}::text` : quote(c.column_name))),
  };
}

/** What one table's swap changed in the live table. */
export interface SwapCounts {
  deleted: number;
  written: number;
}

/**
 * Above this share of differing rows, a table is swapped by deleting the tenant's live rows and
 * inserting all its shadow rows: rewriting (nearly) every row costs more row by row through the
 * upsert than as one delete and one insert in the shadow's order (on 103k facts: all changed, 1.4 s
 * by difference vs 0.8 s replaced; a hundredth changed, 0.14 s vs 0.63 s).
 */
const REPLACE_ALL_SHARE = 1 / 3;

/**
 * Makes the tenant's live rows of one table equal to its shadow rows, writing only what differs:
 * live rows whose key the shadow lacks are deleted, shadow rows that are new or differ in any column
 * are upserted, and rows equal on both sides are left alone. The usual rebuild corrects few rows,
 * and delete-all + insert-all rewrote every one of them with all their index entries under the
 * tenant's lock (the swap's largest cost). The rows that differ are counted first (one read of
 * both sides, a full join on the key): none, and the table is done; more than REPLACE_ALL_SHARE,
 * and it is replaced whole. Runs in the caller's transaction (under the tenant lock); the shadow
 * rows are left for the caller to remove.
 */
export async function swapByDifference(m: EntityManager, t: SwapTable, tenantId: string): Promise<SwapCounts> {
  const sameKey = t.key.map((c) => `s.${c} = l.${c}`).join(' AND ');
  const row = (alias: string): string => `ROW(${t.compared.map((c) => `${alias}.${c}`).join(', ')})`;
  const live = `(SELECT ctid, * FROM public.${t.name} WHERE tenant_id = $1) l`;
  const shadow = `(SELECT * FROM ${SHADOW_SCHEMA}.${t.name} WHERE tenant_id = $1) s`;
  const differs = `${row('l')} IS DISTINCT FROM ${row('s')}`;
  const [sizes] = (await m.query(
    `SELECT count(*) FILTER (WHERE ${differs})::int AS differing, count(*)::int AS keys
       FROM ${live} FULL JOIN ${shadow} ON ${sameKey}`,
    [tenantId],
  )) as { differing: number; keys: number }[];
  if (!sizes || sizes.differing === 0) return { deleted: 0, written: 0 };
  const columns = t.columns.join(', ');
  if (sizes.differing > sizes.keys * REPLACE_ALL_SHARE) {
    const [, deleted] = (await m.query(`DELETE FROM public.${t.name} WHERE tenant_id = $1`, [tenantId])) as [
      unknown,
      number,
    ];
    const [written] = (await m.query(
      `WITH w AS (INSERT INTO public.${t.name} (${columns}) SELECT ${columns} FROM ${SHADOW_SCHEMA}.${t.name} WHERE tenant_id = $1 RETURNING 1)
       SELECT count(*)::int AS n FROM w`,
      [tenantId],
    )) as { n: number }[];
    return { deleted, written: written?.n ?? 0 };
  }
  const rest = t.columns.filter((c) => !t.key.includes(c));
  const onConflict =
    rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  // The delete and the upsert touch disjoint keys: the one reads rows the shadow lacks, the other shadow rows.
  const [counts] = (await m.query(
    `WITH d AS (
       SELECT l.ctid AS at, s.tenant_id IS NULL AS gone, ${t.columns.map((c) => `s.${c}`).join(', ')}
         FROM ${live} FULL JOIN ${shadow} ON ${sameKey}
        WHERE ${differs}),
     gone AS (DELETE FROM public.${t.name} WHERE ctid IN (SELECT at FROM d WHERE gone) RETURNING 1),
     put AS (INSERT INTO public.${t.name} (${columns}) SELECT ${columns} FROM d WHERE NOT gone
             ON CONFLICT (${t.key.join(', ')}) ${onConflict} RETURNING 1)
     SELECT (SELECT count(*) FROM gone)::int AS deleted, (SELECT count(*) FROM put)::int AS written`,
    [tenantId],
  )) as SwapCounts[];
  return counts ?? { deleted: 0, written: 0 };
}
