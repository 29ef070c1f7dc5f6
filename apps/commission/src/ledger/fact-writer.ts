import { EntityManager } from 'typeorm';
import { DEFAULT_TENANT_SETTINGS, deterministicEventId, eventKey, makeEvent, TOPICS } from '@pacer/contracts';
import type { OutboxMessage } from '@pacer/messaging';
import { instantMillis } from '../calculation/deal-order';
import { insertDealCredits, PendingDeal, pendingDeals } from './deal-credits.repository';
import { DirtyStatements } from './dirty-statements';
import { BatchFacts } from '../consumers/batch-facts';

function col<T, V>(rows: readonly T[], f: (row: T) => V): V[] {
  return rows.map(f);
}

/**
 * Writes a batch's facts (idempotently: a fact already stored is left alone) and records which
 * statements they touch: a win touches its reps' periods; a cancellation, or a void, touches the
 * periods of the deal it refers to, whenever that deal arrives (before or after). Answers the deals
 * that now wait for approval (new ones, or older ones a late approval setting holds).
 */
export async function writeFacts(
  manager: EntityManager,
  facts: BatchFacts,
  dirty: DirtyStatements,
): Promise<PendingDeal[]> {
  const { wins, cancellations, voids, settings, memberships } = facts;
  const pendingActivities: { tenantId: string; activityId: string }[] = [];
  // Only what was stored now is new: a record already there (the same activity under another
  // CloudEvent id) is already in its statement.
  for (const stored of await insertDealCredits(manager, wins)) {
    const { deal } = stored;
    dirty.touchWin(deal.tenantId, deal.repId, instantMillis(deal.occurredAt), deal.activityId, stored);
    if (stored.recordedRole === 'rep')
      pendingActivities.push({ tenantId: deal.tenantId, activityId: deal.activityId });
  }

  const dealsToTouch: { tenantId: string; dealId: string }[] = [];
  if (cancellations.length > 0) {
    await manager.query(
      `INSERT INTO deal_cancellations (tenant_id, activity_id, deal_id, rep_id, event_id, occurred_at, occurred_text, voided_by)
       SELECT x.t, x.a, x.d, x.r, x.e, x.o::timestamptz, x.o, v.event_id
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(t, a, d, r, e, o)
         LEFT JOIN voided_activities v ON v.tenant_id = x.t AND v.activity_id = x.a
       ON CONFLICT DO NOTHING`,
      [
        col(cancellations, (c) => c.tenantId),
        col(cancellations, (c) => c.activityId),
        col(cancellations, (c) => c.dealId),
        col(cancellations, (c) => c.repId),
        col(cancellations, (c) => c.eventId),
        col(cancellations, (c) => c.occurredAt),
      ],
    );
    dealsToTouch.push(...cancellations.map((c) => ({ tenantId: c.tenantId, dealId: c.dealId })));
  }

  if (voids.length > 0) {
    const tenants = col(voids, (v) => v.tenantId);
    const activities = col(voids, (v) => v.activityId);
    const events = col(voids, (v) => v.eventId);
    await manager.query(
      `INSERT INTO voided_activities (tenant_id, activity_id, event_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [tenants, activities, events],
    );
    const voidedWins = (await manager.query(
      `UPDATE deal_credits d SET voided_by = x.e FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, a, e)
        WHERE d.tenant_id = x.t AND d.activity_id = x.a AND d.voided_by IS NULL
       RETURNING d.tenant_id, d.rep_id, d.occurred_text`,
      [tenants, activities, events],
    )) as [{ tenant_id: string; rep_id: string; occurred_text: string }[], number];
    for (const r of voidedWins[0]) dirty.touchInstant(r.tenant_id, r.rep_id, instantMillis(r.occurred_text));
    const voidedCancellations = (await manager.query(
      `UPDATE deal_cancellations c SET voided_by = x.e FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, a, e)
        WHERE c.tenant_id = x.t AND c.activity_id = x.a AND c.voided_by IS NULL
       RETURNING c.tenant_id, c.deal_id`,
      [tenants, activities, events],
    )) as [{ tenant_id: string; deal_id: string }[], number];
    dealsToTouch.push(...voidedCancellations[0].map((r) => ({ tenantId: r.tenant_id, dealId: r.deal_id })));
  }

  if (dealsToTouch.length > 0) {
    const rows = (await manager.query(
      `UPDATE deal_credits d
          SET cancelled = EXISTS (SELECT 1 FROM deal_cancellations c
                                   WHERE c.tenant_id = d.tenant_id AND c.deal_id = d.deal_id AND c.voided_by IS NULL)
         FROM unnest($1::text[], $2::text[]) AS x(t, d)
        WHERE d.tenant_id = x.t AND d.deal_id = x.d
       RETURNING d.tenant_id, d.rep_id, d.occurred_text`,
      [col(dealsToTouch, (d) => d.tenantId), col(dealsToTouch, (d) => d.dealId)],
    )) as [{ tenant_id: string; rep_id: string; occurred_text: string }[], number];
    for (const r of rows[0]) dirty.touchInstant(r.tenant_id, r.rep_id, instantMillis(r.occurred_text));
  }

  // Last settings per tenant in the batch win; only a change of zone or fiscal year moves plan periods.
  const latest = new Map(settings.map((s) => [s.tenantId, s]));
  for (const s of latest.values()) {
    const [before] = (await manager.query(
      `SELECT timezone, fiscal_year_start_month FROM tenant_calendars WHERE tenant_id = $1`,
      [s.tenantId],
    )) as { timezone: string; fiscal_year_start_month: number }[];
    const previous = before ?? {
      timezone: DEFAULT_TENANT_SETTINGS.timezone,
      fiscal_year_start_month: DEFAULT_TENANT_SETTINGS.fiscalYearStartMonth,
    };
    await manager.query(
      `INSERT INTO tenant_calendars (tenant_id, timezone, week_starts_on, fiscal_year_start_month, event_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id) DO UPDATE SET timezone = EXCLUDED.timezone, week_starts_on = EXCLUDED.week_starts_on,
         fiscal_year_start_month = EXCLUDED.fiscal_year_start_month, event_id = EXCLUDED.event_id, updated_at = now()`,
      [s.tenantId, s.timezone, s.weekStartsOn, s.fiscalYearStartMonth, s.eventId],
    );
    if (previous.timezone !== s.timezone || previous.fiscal_year_start_month !== s.fiscalYearStartMonth) {
      dirty.touchTenant(s.tenantId);
      dirty.addCause(s.eventId, s.tenantId);
    }
  }
  // Every approval setting is kept with its time, so a deal is judged by the setting in force when it
  // was recorded, whichever event arrives first; deals recorded since then are recalculated.
  for (const s of settings) {
    if (s.dealsRequireApproval === undefined) continue;
    const stored = (await manager.query(
      `INSERT INTO deal_approval_settings (tenant_id, effective_at, required, event_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [s.tenantId, s.time, s.dealsRequireApproval, s.eventId],
    )) as unknown[];
    if (stored.length === 0) continue;
    const affected = (await manager.query(
      `SELECT rep_id, activity_id, occurred_text FROM deal_credits
        WHERE tenant_id = $1 AND recorded_role = 'rep' AND recorded_at >= $2`,
      [s.tenantId, s.time],
    )) as { rep_id: string; activity_id: string; occurred_text: string }[];
    for (const r of affected) {
      dirty.touchInstant(s.tenantId, r.rep_id, instantMillis(r.occurred_text));
      pendingActivities.push({ tenantId: s.tenantId, activityId: r.activity_id });
    }
  }

  if (memberships.length > 0) {
    await manager.query(
      `INSERT INTO team_membership_events (tenant_id, team_id, rep_id, kind, role, at, recorded_at, event_id)
       SELECT t, team, r, k, role, at, rec, e
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[])
              WITH ORDINALITY AS x(t, team, r, k, role, at, rec, e, o)
        ORDER BY o
       ON CONFLICT (event_id) DO NOTHING`,
      [
        col(memberships, (m) => m.tenantId),
        col(memberships, (m) => m.teamId),
        col(memberships, (m) => m.repId),
        col(memberships, (m) => m.kind),
        col(memberships, (m) => m.role),
        col(memberships, (m) => m.at),
        col(memberships, (m) => m.recordedAt),
        col(memberships, (m) => m.eventId),
      ],
    );
  }
  return pendingDeals(manager, pendingActivities);
}

/** `pacer.commission.deal_pending_approval.v1`, with an id derived from the deal record (redelivery dedupes). */
export function pendingApprovalMessage(p: PendingDeal): OutboxMessage {
  const now = new Date().toISOString();
  const event = makeEvent('pacer.commission.deal_pending_approval.v1', {
    id: deterministicEventId('pacer.commission.deal_pending_approval', p.tenantId, p.activityId),
    tenantId: p.tenantId,
    time: now,
    recordedTime: now,
    data: {
      dealId: p.dealId,
      repId: p.repId,
      amount: p.amount,
      currency: p.currency,
      occurredAt: p.occurredAt,
      activityId: p.activityId,
      activityEventId: p.activityEventId,
    },
  });
  return { topic: TOPICS.commissions, key: eventKey(event), value: event };
}
