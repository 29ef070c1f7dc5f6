import { EntityManager } from 'typeorm';
import { DEFAULT_TENANT_SETTINGS } from '@pacer/contracts';
import { instantMillis } from '../calculation/deal-order';
import { DirtyStatements } from '../ledger/dirty-statements';
import { BatchFacts } from './batch-facts';

function col<T, V>(rows: readonly T[], f: (row: T) => V): V[] {
  return rows.map(f);
}

/**
 * Writes a batch's facts (idempotently: a fact already stored is left alone) and records which
 * statements they touch: a win touches its reps' periods; a cancellation, or a void, touches the
 * periods of the deal it refers to, whenever that deal arrives (before or after).
 */
export async function writeFacts(
  manager: EntityManager,
  facts: BatchFacts,
  dirty: DirtyStatements,
): Promise<void> {
  const { wins, cancellations, voids, settings, memberships } = facts;
  if (wins.length > 0) {
    const inserted = (await manager.query(
      `INSERT INTO deal_credits (tenant_id, activity_id, rep_id, deal_id, won_event_id, occurred_at, occurred_text,
                                 primary_rep_id, amount, share, credit, currency, voided_by, cancelled)
       SELECT x.t, x.a, x.r, x.d, x.w, x.o::timestamptz, x.o, x.p, x.amount, x.share, x.credit, x.currency, v.event_id,
              EXISTS (SELECT 1 FROM deal_cancellations c WHERE c.tenant_id = x.t AND c.deal_id = x.d AND c.voided_by IS NULL)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[],
                     $9::text[], $10::numeric[], $11::text[]) AS x(t, a, r, d, w, o, p, amount, share, credit, currency)
         LEFT JOIN voided_activities v ON v.tenant_id = x.t AND v.activity_id = x.a
       ON CONFLICT DO NOTHING
       RETURNING tenant_id, rep_id, activity_id, occurred_text`,
      [
        col(wins, (w) => w.tenantId),
        col(wins, (w) => w.activityId),
        col(wins, (w) => w.repId),
        col(wins, (w) => w.dealId),
        col(wins, (w) => w.wonEventId),
        col(wins, (w) => w.occurredAt),
        col(wins, (w) => w.primaryRepId),
        col(wins, (w) => w.amount),
        col(wins, (w) => w.share),
        col(wins, (w) => w.credit),
        col(wins, (w) => w.currency),
      ],
    )) as { tenant_id: string; rep_id: string; activity_id: string; occurred_text: string }[];
    // Only what was stored now is new: a record already there (the same activity under another
    // CloudEvent id) is already in its statement.
    for (const r of inserted)
      dirty.touchWin(r.tenant_id, r.rep_id, instantMillis(r.occurred_text), r.activity_id);
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

  if (memberships.length > 0) {
    await manager.query(
      `INSERT INTO team_membership_events (tenant_id, team_id, rep_id, kind, role, at, event_id)
       SELECT t, team, r, k, role, at, e
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
              WITH ORDINALITY AS x(t, team, r, k, role, at, e, o)
        ORDER BY o
       ON CONFLICT (event_id) DO NOTHING`,
      [
        col(memberships, (m) => m.tenantId),
        col(memberships, (m) => m.teamId),
        col(memberships, (m) => m.repId),
        col(memberships, (m) => m.kind),
        col(memberships, (m) => m.role),
        col(memberships, (m) => m.at),
        col(memberships, (m) => m.eventId),
      ],
    );
  }
}
