import { EntityManager } from 'typeorm';
import { repKey } from './sql-rows';

// deal_cancellations: cancellations of won deals (clawbacks).

/** The earliest non-voided cancellation of each deal, keyed by tenant and deal id. */
export async function loadCancellations(
  manager: EntityManager,
  deals: readonly { tenantId: string; dealId: string }[],
): Promise<Map<string, { activityId: string; eventId: string; occurredAt: string }>> {
  const out = new Map<string, { activityId: string; eventId: string; occurredAt: string }>();
  if (deals.length === 0) return out;
  const unique = [...new Map(deals.map((d) => [repKey(d.tenantId, d.dealId), d])).values()];
  const rows = (await manager.query(
    `SELECT DISTINCT ON (c.tenant_id, c.deal_id) c.tenant_id, c.deal_id, c.activity_id, c.event_id, c.occurred_text
       FROM deal_cancellations c JOIN unnest($1::text[], $2::text[]) AS x(t, d) ON c.tenant_id = x.t AND c.deal_id = x.d
      WHERE c.voided_by IS NULL
      ORDER BY c.tenant_id, c.deal_id, c.occurred_at, c.activity_id`,
    [unique.map((d) => d.tenantId), unique.map((d) => d.dealId)],
  )) as {
    tenant_id: string;
    deal_id: string;
    activity_id: string;
    event_id: string;
    occurred_text: string;
  }[];
  for (const r of rows) {
    out.set(repKey(r.tenant_id, r.deal_id), {
      activityId: r.activity_id,
      eventId: r.event_id,
      occurredAt: r.occurred_text,
    });
  }
  return out;
}
