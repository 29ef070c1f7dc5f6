import { EntityManager } from 'typeorm';
import { StatementKey, insertRows } from './sql-rows';

// statement_lines: the breakdown rows of each statement document.

export interface StatementLineRow extends StatementKey {
  section: 0 | 1;
  position: number;
  body: string;
}

/** Replaces all breakdown lines of `whole` statements and the tail of `tails`, then writes `rows`. */
export async function writeStatementLines(
  manager: EntityManager,
  whole: readonly StatementKey[],
  tails: readonly StatementKey[],
  rows: readonly StatementLineRow[],
): Promise<void> {
  for (const [keys, section] of [
    [whole, null],
    [tails, 1],
  ] as const) {
    if (keys.length === 0) continue;
    await manager.query(
      `DELETE FROM statement_lines s USING unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, p)
        WHERE s.tenant_id = x.t AND s.rep_id = x.r AND s.period_key = x.p ${section === null ? '' : 'AND s.section = 1'}`,
      [keys.map((k) => k.tenantId), keys.map((k) => k.repId), keys.map((k) => k.periodKey)],
    );
  }
  if (rows.length === 0) return;
  await insertRows(
    manager,
    `INSERT INTO statement_lines (tenant_id, rep_id, period_key, section, position, body)`,
    ['', '', '', '::smallint', '::int', ''],
    rows.map((r) => [r.tenantId, r.repId, r.periodKey, r.section, r.position, r.body]),
  );
}
