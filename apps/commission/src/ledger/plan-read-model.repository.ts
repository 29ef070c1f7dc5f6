import { EntityManager } from 'typeorm';
import { PlanBody } from '@pacer/contracts';
import { money } from '../calculation/decimal';
import type { AssignmentFact } from '../calculation/rep-timeline';
import type { PlanVersion, QuotaFact } from '../calculation/statement.types';
import { RepRef, columns, repKey, rowsOfRep, upsertRow } from './sql-rows';

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

export interface PlanVersionRow {
  version: number;
  body: PlanBody;
  event_id: string;
  created_at: Date;
}

export async function insertPlanVersion(
  manager: EntityManager,
  tenantId: string,
  planId: string,
  version: number,
  body: PlanBody,
  eventId: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO plan_versions (tenant_id, plan_id, version, effective_from, body, event_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [tenantId, planId, version, body.effectiveFrom, JSON.stringify(body), eventId],
  );
}

export async function planVersion(
  manager: EntityManager,
  tenantId: string,
  planId: string,
  version: number,
): Promise<PlanVersionRow | undefined> {
  const [row] = (await manager.query(
    `SELECT version, body, event_id, created_at FROM plan_versions WHERE tenant_id = $1 AND plan_id = $2 AND version = $3`,
    [tenantId, planId, version],
  )) as PlanVersionRow[];
  return row;
}

export async function planVersions(
  manager: EntityManager,
  tenantId: string,
  planId: string,
): Promise<PlanVersionRow[]> {
  return (await manager.query(
    `SELECT version, body, event_id, created_at FROM plan_versions WHERE tenant_id = $1 AND plan_id = $2 ORDER BY version`,
    [tenantId, planId],
  )) as PlanVersionRow[];
}

export async function planExists(manager: EntityManager, tenantId: string, planId: string): Promise<boolean> {
  const rows = (await manager.query(
    `SELECT 1 FROM plan_versions WHERE tenant_id = $1 AND plan_id = $2 LIMIT 1`,
    [tenantId, planId],
  )) as unknown[];
  return rows.length > 0;
}

export async function planIdsOfTenant(
  manager: EntityManager,
  tenantId: string,
): Promise<{ planId: string; latestVersion: number }[]> {
  const rows = (await manager.query(
    `SELECT plan_id, max(version)::int AS latest FROM plan_versions WHERE tenant_id = $1 GROUP BY plan_id ORDER BY plan_id`,
    [tenantId],
  )) as { plan_id: string; latest: number }[];
  return rows.map((r) => ({ planId: r.plan_id, latestVersion: r.latest }));
}

/** The reps ever assigned the plan (a new version may change any of their statements). */
export async function repsOfPlan(
  manager: EntityManager,
  tenantId: string,
  planId: string,
): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT DISTINCT rep_id FROM plan_assignments WHERE tenant_id = $1 AND plan_id = $2`,
    [tenantId, planId],
  )) as { rep_id: string }[];
  return rows.map((r) => r.rep_id);
}

export async function upsertAssignment(
  manager: EntityManager,
  tenantId: string,
  repId: string,
  effectiveFrom: string,
  planId: string,
  eventId: string,
): Promise<void> {
  await upsertRow(
    manager,
    'plan_assignments',
    { tenant_id: tenantId, rep_id: repId, effective_from: effectiveFrom },
    { plan_id: planId, event_id: eventId },
  );
}

export async function isPlanAssigned(
  manager: EntityManager,
  tenantId: string,
  repId: string,
  planId: string,
): Promise<boolean> {
  const rows = (await manager.query(
    `SELECT 1 FROM plan_assignments WHERE tenant_id = $1 AND rep_id = $2 AND plan_id = $3 LIMIT 1`,
    [tenantId, repId, planId],
  )) as unknown[];
  return rows.length > 0;
}

export async function assignmentsOfRep(
  manager: EntityManager,
  tenantId: string,
  repId: string,
): Promise<{ planId: string; effectiveFrom: string; eventId: string }[]> {
  const rows = await rowsOfRep<{ plan_id: string; effective_from: string; event_id: string }>(
    manager,
    'plan_assignments',
    'plan_id, effective_from::text AS effective_from, event_id',
    'effective_from',
    { tenantId, repId },
  );
  return rows.map((r) => ({ planId: r.plan_id, effectiveFrom: r.effective_from, eventId: r.event_id }));
}

export async function upsertQuota(
  manager: EntityManager,
  tenantId: string,
  repId: string,
  periodKey: string,
  amount: string,
  eventId: string,
): Promise<void> {
  await upsertRow(
    manager,
    'quotas',
    { tenant_id: tenantId, rep_id: repId, period_key: periodKey },
    { amount, event_id: eventId },
  );
}

export async function quotasOfRep(
  manager: EntityManager,
  tenantId: string,
  repId: string,
): Promise<{ periodKey: string; amount: string; eventId: string }[]> {
  const rows = await rowsOfRep<{ period_key: string; amount: string; event_id: string }>(
    manager,
    'quotas',
    'period_key, amount::text AS amount, event_id',
    'period_key',
    { tenantId, repId },
  );
  return rows.map((r) => ({ periodKey: r.period_key, amount: money(r.amount), eventId: r.event_id }));
}
