import { EntityManager } from 'typeorm';
import { RepRef, insertRows } from './sql-rows';
import { WindowRef } from './deal-credits.repository';
import { sqlFilter } from './sql-filter';

// deal_exceptions: deals that could not be credited, and why.

export interface ExceptionRow extends RepRef {
  activityId: string;
  dealId: string;
  occurredAt: string;
  periodKey: string | null;
  reason: string;
  body: object;
}

/**
 * Replaces exceptions: every exception of `wholeReps`, those in the given windows, and those of the
 * given deals (outside every period); then writes `rows`.
 */
export async function replaceExceptions(
  manager: EntityManager,
  windows: readonly WindowRef[],
  wholeReps: readonly RepRef[],
  deals: readonly { tenantId: string; repId: string; activityId: string }[],
  rows: readonly ExceptionRow[],
): Promise<void> {
  if (wholeReps.length > 0) {
    await manager.query(
      `DELETE FROM deal_exceptions e USING unnest($1::text[], $2::text[]) AS x(t, r) WHERE e.tenant_id = x.t AND e.rep_id = x.r`,
      [wholeReps.map((r) => r.tenantId), wholeReps.map((r) => r.repId)],
    );
  }
  if (deals.length > 0) {
    await manager.query(
      `DELETE FROM deal_exceptions e USING unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, a)
        WHERE e.tenant_id = x.t AND e.rep_id = x.r AND e.activity_id = x.a`,
      [deals.map((d) => d.tenantId), deals.map((d) => d.repId), deals.map((d) => d.activityId)],
    );
  }
  if (windows.length > 0) {
    await manager.query(
      `DELETE FROM deal_exceptions e USING unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS x(t, r, s, en)
        WHERE e.tenant_id = x.t AND e.rep_id = x.r AND e.occurred_at >= x.s AND e.occurred_at < x.en`,
      [
        windows.map((w) => w.tenantId),
        windows.map((w) => w.repId),
        windows.map((w) => new Date(w.startMs).toISOString()),
        windows.map((w) => new Date(w.endMs).toISOString()),
      ],
    );
  }
  if (rows.length === 0) return;
  await insertRows(
    manager,
    `INSERT INTO deal_exceptions (tenant_id, rep_id, activity_id, deal_id, occurred_at, period_key, reason, body)`,
    ['', '', '', '', '::timestamptz', '', '', ''],
    rows.map((r) => [
      r.tenantId,
      r.repId,
      r.activityId,
      r.dealId,
      r.occurredAt,
      r.periodKey,
      r.reason,
      JSON.stringify(r.body),
    ]),
    `ON CONFLICT (tenant_id, rep_id, activity_id) DO UPDATE SET
       deal_id = EXCLUDED.deal_id, occurred_at = EXCLUDED.occurred_at, period_key = EXCLUDED.period_key,
       reason = EXCLUDED.reason, body = EXCLUDED.body`,
  );
}

export interface ExceptionListRow {
  body: string;
  at: string;
  rep_id: string;
  activity_id: string;
}

/** A page of a tenant's exceptions by instant, rep and activity, after the keyset `after`. */
export async function exceptionRows(
  manager: EntityManager,
  tenantId: string,
  q: {
    reps: 'all' | Set<string>;
    repId?: string;
    periodKey?: string;
    reason?: string;
    after?: [string, string, string];
    limit: number;
  },
): Promise<ExceptionListRow[]> {
  const params: unknown[] = [tenantId];
  const where = ['tenant_id = $1'];
  const add = sqlFilter(params, where);
  if (q.reps !== 'all') add('rep_id = ANY(?::text[])', [...q.reps]);
  if (q.repId !== undefined) add('rep_id = ?', q.repId);
  if (q.periodKey !== undefined) add('period_key = ?', q.periodKey);
  if (q.reason !== undefined) add('reason = ?', q.reason);
  if (q.after !== undefined) {
    params.push(...q.after);
    where.push(
      `(occurred_at, rep_id, activity_id) > ($${params.length - 2}::timestamptz, $${params.length - 1}, $${params.length})`,
    );
  }
  params.push(q.limit);
  return (await manager.query(
    `SELECT body, occurred_at::text AS at, rep_id, activity_id FROM deal_exceptions
      WHERE ${where.join(' AND ')} ORDER BY occurred_at, rep_id, activity_id LIMIT $${params.length}`,
    params,
  )) as ExceptionListRow[];
}
