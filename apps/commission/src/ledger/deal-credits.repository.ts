import { EntityManager } from 'typeorm';
import type { DealPendingApprovalData } from '@pacer/contracts';
import { money } from '../calculation/decimal';
import type { DealFact } from '../calculation/statement.types';
import type { WinFact } from '../consumers/batch-facts';
import { RepRef, columns, statementKey } from './sql-rows';

// deal_credits: the credited deals, one row per rep credited for a won activity.

/** A stored deal credit, voided or not. */
export interface DealRow extends Omit<DealFact, 'cancellation'> {
  tenantId: string;
  repId: string;
  voidedBy: string | null;
  /** A non-voided cancellation exists (load it with `loadCancellations`). */
  cancelled: boolean;
  /** Waits for approval (or was rejected): pays nothing. */
  held: boolean;
}

interface DealDbRow {
  idx?: number;
  tenant_id: string;
  activity_id: string;
  rep_id: string;
  deal_id: string;
  won_event_id: string;
  occurred_text: string;
  primary_rep_id: string;
  amount: string;
  share: string;
  credit: string;
  currency: string;
  voided_by: string | null;
  cancelled: boolean;
  held: boolean;
}

/**
 * Whether the deal credit `d` waits for approval (SPEC §6 dealsRequireApproval): recorded by a rep
 * while the tenant's setting in force at its recording said so, and not approved (a rejected deal
 * waits forever). Deals without recording extensions (older events) never wait.
 */
export const HELD_FOR_APPROVAL_SQL = `(d.recorded_role = 'rep'
  AND coalesce((SELECT s.required FROM deal_approval_settings s
                 WHERE s.tenant_id = d.tenant_id AND s.effective_at <= d.recorded_at
                 ORDER BY s.effective_at DESC, s.event_id DESC LIMIT 1), false)
  AND NOT EXISTS (SELECT 1 FROM deal_decisions x
                   WHERE x.tenant_id = d.tenant_id AND x.deal_id = d.deal_id AND x.decision = 'approved'))`;

const DEAL_COLUMNS = `d.tenant_id, d.activity_id, d.rep_id, d.deal_id, d.won_event_id, d.occurred_text, d.primary_rep_id,
  d.amount::text AS amount, d.share, d.credit::text AS credit, d.currency, d.voided_by, d.cancelled,
  CASE WHEN d.recorded_role IS NULL THEN false ELSE ${HELD_FOR_APPROVAL_SQL} END AS held`;

function toDeal(r: DealDbRow): DealRow {
  return {
    tenantId: r.tenant_id,
    repId: r.rep_id,
    activityId: r.activity_id,
    dealId: r.deal_id,
    wonEventId: r.won_event_id,
    occurredAt: r.occurred_text,
    primaryRepId: r.primary_rep_id,
    amount: r.amount,
    share: r.share,
    credit: money(r.credit),
    currency: r.currency,
    voidedBy: r.voided_by,
    cancelled: r.cancelled,
    held: r.held,
  };
}

/** A deal credit a batch stored, as `loadDealsByActivity` would read it right after the insert. */
export interface StoredWin {
  deal: DealRow;
  recordedRole: string | null;
  /**
   * False only when no other record of the deal id exists for the rep (none stored before, none in
   * this insert): the period then cannot hold the deal twice, whatever its window.
   */
  otherRecord: boolean;
}

/**
 * Stores deal credits (a record already stored is left alone) and answers the rows stored now, with
 * what a recalculation reads of them, so it need not read them back.
 */
export async function insertDealCredits(
  manager: EntityManager,
  wins: readonly WinFact[],
): Promise<StoredWin[]> {
  if (wins.length === 0) return [];
  const rows = (await manager.query(
    `INSERT INTO deal_credits AS d (tenant_id, activity_id, rep_id, deal_id, won_event_id, occurred_at, occurred_text,
                               primary_rep_id, amount, share, credit, currency, voided_by, cancelled,
                               recorded_by, recorded_role, recorded_at)
     SELECT x.t, x.a, x.r, x.d, x.w, x.o::timestamptz, x.o, x.p, x.amount, x.share, x.credit, x.currency, v.event_id,
            EXISTS (SELECT 1 FROM deal_cancellations c WHERE c.tenant_id = x.t AND c.deal_id = x.d AND c.voided_by IS NULL),
            x.rb, x.rr, x.ra::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[],
                   $9::text[], $10::numeric[], $11::text[], $12::text[], $13::text[], $14::text[])
            AS x(t, a, r, d, w, o, p, amount, share, credit, currency, rb, rr, ra)
       LEFT JOIN voided_activities v ON v.tenant_id = x.t AND v.activity_id = x.a
     ON CONFLICT DO NOTHING
     RETURNING ${DEAL_COLUMNS}, d.recorded_role,
       EXISTS (SELECT 1 FROM deal_credits o
                WHERE o.tenant_id = d.tenant_id AND o.deal_id = d.deal_id AND o.rep_id = d.rep_id
                  AND o.activity_id <> d.activity_id) AS other_record`,
    columns(
      wins,
      (w) => w.tenantId,
      (w) => w.activityId,
      (w) => w.repId,
      (w) => w.dealId,
      (w) => w.wonEventId,
      (w) => w.occurredAt,
      (w) => w.primaryRepId,
      (w) => w.amount,
      (w) => w.share,
      (w) => w.credit,
      (w) => w.currency,
      (w) => w.recordedBy,
      (w) => w.recordedRole,
      (w) => w.recordedAt,
    ),
  )) as (DealDbRow & { recorded_role: string | null; other_record: boolean })[];
  // The statement's subquery sees the table as it was before the insert: records of one deal id
  // stored together are found here.
  const perDeal = new Map<string, number>();
  for (const r of rows) {
    const key = statementKey(r.tenant_id, r.rep_id, r.deal_id);
    perDeal.set(key, (perDeal.get(key) ?? 0) + 1);
  }
  return rows.map((r) => ({
    deal: toDeal(r),
    recordedRole: r.recorded_role,
    otherRecord: r.other_record || (perDeal.get(statementKey(r.tenant_id, r.rep_id, r.deal_id)) ?? 0) > 1,
  }));
}

/** A won deal's primary record: what the approval event carries, and what the deal lists show. */
export type DealRecord = DealPendingApprovalData;

/** The columns `DEAL_RECORD_COLUMNS` selects. */
export interface DealRecordRow {
  deal_id: string;
  rep_id: string;
  activity_id: string;
  amount: string;
  currency: string;
  occurred_text: string;
  won_event_id: string;
}

export const DEAL_RECORD_COLUMNS = `d.deal_id, d.rep_id, d.activity_id, d.amount::text AS amount, d.currency, d.occurred_text, d.won_event_id`;

export function dealRecordOf(r: DealRecordRow): DealRecord {
  return {
    dealId: r.deal_id,
    repId: r.rep_id,
    activityId: r.activity_id,
    amount: money(r.amount),
    currency: r.currency,
    occurredAt: r.occurred_text,
    activityEventId: r.won_event_id,
  };
}

/** A deal that waits for approval before it pays (SPEC §6 dealsRequireApproval). */
export interface PendingDeal extends DealRecord {
  tenantId: string;
}

/** Of the given deal activities, the primary records that wait for approval and have no decision. */
export async function pendingDeals(
  manager: EntityManager,
  activities: readonly { tenantId: string; activityId: string }[],
): Promise<PendingDeal[]> {
  if (activities.length === 0) return [];
  const rows = (await manager.query(
    `SELECT d.tenant_id, ${DEAL_RECORD_COLUMNS}
       FROM unnest($1::text[], $2::text[]) AS x(t, a)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.activity_id = x.a AND d.rep_id = d.primary_rep_id
      WHERE d.voided_by IS NULL AND ${HELD_FOR_APPROVAL_SQL}
        AND NOT EXISTS (SELECT 1 FROM deal_decisions z WHERE z.tenant_id = d.tenant_id AND z.deal_id = d.deal_id)`,
    [activities.map((a) => a.tenantId), activities.map((a) => a.activityId)],
  )) as (DealRecordRow & { tenant_id: string })[];
  const seen = new Set<string>();
  return rows.flatMap((r) => {
    const key = JSON.stringify([r.tenant_id, r.activity_id]);
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ tenantId: r.tenant_id, ...dealRecordOf(r) }];
  });
}

/** Every stored deal credit of the reps. */
export async function loadRepDeals(manager: EntityManager, reps: readonly RepRef[]): Promise<DealRow[]> {
  if (reps.length === 0) return [];
  const [tenants, repIds] = columns(
    reps,
    (r) => r.tenantId,
    (r) => r.repId,
  );
  const rows = (await manager.query(
    `SELECT ${DEAL_COLUMNS} FROM deal_credits d JOIN unnest($1::text[], $2::text[]) AS x(t, r) ON d.tenant_id = x.t AND d.rep_id = x.r`,
    [tenants, repIds],
  )) as DealDbRow[];
  return rows.map(toDeal);
}

export interface WindowRef extends RepRef {
  startMs: number;
  endMs: number;
}

/** The deal credits in each window, by the window's index in `windows`. */
export async function loadWindowDeals(
  manager: EntityManager,
  windows: readonly WindowRef[],
): Promise<Map<number, DealRow[]>> {
  const out = new Map<number, DealRow[]>();
  if (windows.length === 0) return out;
  const rows = (await manager.query(
    `SELECT x.idx, ${DEAL_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[]) AS x(t, r, s, e, idx)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.rep_id = x.r AND d.occurred_at >= x.s AND d.occurred_at < x.e`,
    [
      windows.map((w) => w.tenantId),
      windows.map((w) => w.repId),
      windows.map((w) => new Date(w.startMs).toISOString()),
      windows.map((w) => new Date(w.endMs).toISOString()),
      windows.map((_, i) => i),
    ],
  )) as (DealDbRow & { idx: number })[];
  for (const r of rows) out.set(r.idx, [...(out.get(r.idx) ?? []), toDeal(r)]);
  return out;
}

/** The deal credits of each rep won at exactly the given instants. */
export async function loadDealsAt(
  manager: EntityManager,
  at: readonly { ref: RepRef; ms: readonly number[] }[],
): Promise<DealRow[]> {
  const flat = at.flatMap(({ ref, ms }) => ms.map((m) => ({ ...ref, at: new Date(m).toISOString() })));
  if (flat.length === 0) return [];
  const rows = (await manager.query(
    `SELECT ${DEAL_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(t, r, at)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.rep_id = x.r AND d.occurred_at >= x.at AND d.occurred_at < x.at + interval '1 millisecond'`,
    [flat.map((f) => f.tenantId), flat.map((f) => f.repId), flat.map((f) => f.at)],
  )) as DealDbRow[];
  return rows.map(toDeal);
}

/** Stored deal credits by (tenant, rep, activity). */
export async function loadDealsByActivity(
  manager: EntityManager,
  refs: readonly { tenantId: string; repId: string; activityId: string }[],
): Promise<DealRow[]> {
  if (refs.length === 0) return [];
  const rows = (await manager.query(
    `SELECT ${DEAL_COLUMNS} FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, a)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.activity_id = x.a AND d.rep_id = x.r`,
    [refs.map((r) => r.tenantId), refs.map((r) => r.repId), refs.map((r) => r.activityId)],
  )) as DealDbRow[];
  return rows.map(toDeal);
}

/**
 * The indexes of the items whose window holds another record of their deal id: a deal id won twice
 * in a period makes one record an exception, which only a whole computation decides.
 */
export async function windowsWithOtherRecords(
  manager: EntityManager,
  items: readonly (WindowRef & { dealId: string; activityId: string })[],
): Promise<Set<number>> {
  if (items.length === 0) return new Set();
  const rows = (await manager.query(
    `SELECT DISTINCT x.idx FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::int[])
         AS x(t, r, d, a, s, e, idx)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.rep_id = x.r AND d.deal_id = x.d AND d.activity_id <> x.a
      WHERE d.occurred_at >= x.s AND d.occurred_at < x.e`,
    [
      items.map((i) => i.tenantId),
      items.map((i) => i.repId),
      items.map((i) => i.dealId),
      items.map((i) => i.activityId),
      items.map((i) => new Date(i.startMs).toISOString()),
      items.map((i) => new Date(i.endMs).toISOString()),
      items.map((_, i) => i),
    ],
  )) as { idx: number }[];
  return new Set(rows.map((r) => r.idx));
}

export function withCancellation(
  deal: DealRow,
  cancellation: { activityId: string; eventId: string; occurredAt: string } | undefined,
): DealFact {
  return {
    activityId: deal.activityId,
    dealId: deal.dealId,
    wonEventId: deal.wonEventId,
    occurredAt: deal.occurredAt,
    primaryRepId: deal.primaryRepId,
    amount: deal.amount,
    share: deal.share,
    credit: deal.credit,
    currency: deal.currency,
    ...(cancellation !== undefined ? { cancellation } : {}),
  };
}
