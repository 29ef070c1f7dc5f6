import { EntityManager } from 'typeorm';
import { PlanBody } from '@pacer/contracts';
import { money } from '../calculation/decimal';
import type { AssignmentFact } from '../calculation/rep-timeline';
import type { PlanVersion, QuotaFact } from '../calculation/statement.types';
import { RepRef, columns, repKey } from './sql-rows';

// plan_versions, plan_assignments and quotas: the read model the plan streams project into.

export async function loadAssignments(
  manager: EntityManager,
  reps: readonly RepRef[],
): Promise<Map<string, AssignmentFact[]>> {
  const [tenants, repIds] = columns(
    reps,
    (r) => r.tenantId,
    (r) => r.repId,
  );
  const rows = (await manager.query(
    `SELECT a.tenant_id, a.rep_id, a.effective_from::text AS effective_from, a.plan_id, a.event_id
       FROM plan_assignments a JOIN unnest($1::text[], $2::text[]) AS x(t, r) ON a.tenant_id = x.t AND a.rep_id = x.r
      ORDER BY a.effective_from`,
    [tenants, repIds],
  )) as { tenant_id: string; rep_id: string; effective_from: string; plan_id: string; event_id: string }[];
  const out = new Map<string, AssignmentFact[]>();
  for (const r of rows) {
    const key = repKey(r.tenant_id, r.rep_id);
    out.set(key, [
      ...(out.get(key) ?? []),
      { planId: r.plan_id, effectiveFrom: r.effective_from, eventId: r.event_id },
    ]);
  }
  return out;
}

/** Every version of the given plans, keyed by tenant and plan. */
export async function loadPlanVersions(
  manager: EntityManager,
  plans: readonly { tenantId: string; planId: string }[],
): Promise<Map<string, PlanVersion[]>> {
  const out = new Map<string, PlanVersion[]>();
  if (plans.length === 0) return out;
  const [tenants, planIds] = columns(
    plans,
    (p) => p.tenantId,
    (p) => p.planId,
  );
  const rows = (await manager.query(
    `SELECT v.tenant_id, v.plan_id, v.version, v.body, v.event_id
       FROM plan_versions v JOIN unnest($1::text[], $2::text[]) AS x(t, p) ON v.tenant_id = x.t AND v.plan_id = x.p
      ORDER BY v.version`,
    [tenants, planIds],
  )) as { tenant_id: string; plan_id: string; version: number; body: PlanBody; event_id: string }[];
  for (const r of rows) {
    const key = repKey(r.tenant_id, r.plan_id);
    out.set(key, [
      ...(out.get(key) ?? []),
      { planId: r.plan_id, version: r.version, eventId: r.event_id, body: r.body },
    ]);
  }
  return out;
}

export async function loadQuotas(
  manager: EntityManager,
  reps: readonly RepRef[],
): Promise<Map<string, Map<string, QuotaFact>>> {
  const [tenants, repIds] = columns(
    reps,
    (r) => r.tenantId,
    (r) => r.repId,
  );
  const rows = (await manager.query(
    `SELECT q.tenant_id, q.rep_id, q.period_key, q.amount::text AS amount, q.event_id
       FROM quotas q JOIN unnest($1::text[], $2::text[]) AS x(t, r) ON q.tenant_id = x.t AND q.rep_id = x.r`,
    [tenants, repIds],
  )) as { tenant_id: string; rep_id: string; period_key: string; amount: string; event_id: string }[];
  const out = new Map<string, Map<string, QuotaFact>>();
  for (const r of rows) {
    const key = repKey(r.tenant_id, r.rep_id);
    let byPeriod = out.get(key);
    if (byPeriod === undefined) out.set(key, (byPeriod = new Map()));
    byPeriod.set(r.period_key, { amount: money(r.amount), eventId: r.event_id });
  }
  return out;
}
