import { EntityManager } from 'typeorm';

// closed_periods: the periods a tenant closed, and the advisory lock guarding their state.

/**
 * Serialises period close, reopen and payout (exclusive) with recalculations (shared) per tenant, so
 * a recalculation never decides with a period's state that changes before it commits.
 */
export async function lockPeriodStates(
  manager: EntityManager,
  tenantIds: readonly string[],
  mode: 'shared' | 'exclusive',
): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  for (const tenantId of [...new Set(tenantIds)].sort()) {
    await manager.query(`SELECT ${fn}(hashtextextended('pacer.commission.periods:' || $1, 0))`, [tenantId]);
  }
}

/** The period keys closed in each tenant. */
export async function loadClosedPeriods(
  manager: EntityManager,
  tenantIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const t of tenantIds) out.set(t, new Set());
  if (tenantIds.length === 0) return out;
  const rows = (await manager.query(
    `SELECT tenant_id, period_key FROM closed_periods WHERE tenant_id = ANY($1::text[])`,
    [[...tenantIds]],
  )) as { tenant_id: string; period_key: string }[];
  for (const r of rows) out.get(r.tenant_id)?.add(r.period_key);
  return out;
}

export async function isPeriodClosed(
  manager: EntityManager,
  tenantId: string,
  periodKey: string,
): Promise<boolean> {
  const rows = (await manager.query('SELECT 1 FROM closed_periods WHERE tenant_id = $1 AND period_key = $2', [
    tenantId,
    periodKey,
  ])) as unknown[];
  return rows.length > 0;
}
