import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OpportunityActivity, OpportunityState, opportunityStateOf } from '../domain/opportunity/opportunity-state';

type Row = Record<string, unknown>;

function toActivity(r: Row): OpportunityActivity {
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    activityId: String(r['activity_id']),
    kind: r['kind'] as OpportunityActivity['kind'],
    opportunityId: text(r['opportunity_id']),
    dealId: text(r['deal_id']),
    occurredAt: String(r['occurred_at']),
    occurredMs: Number(r['occurred_ms']),
    toStage: text(r['to_stage']),
    amount: text(r['amount']),
    expectedCloseDate: text(r['expected_close_date']),
    probability: text(r['probability']),
    recorded: r['recorded'] === true,
    voided: r['voided'] === true,
  };
}

/** Opportunity activities consumed from pacer.activities.v1, and the state boards read from them. */
@Injectable()
export class OpportunityActivitiesRepository {
  /** Stores a delivery (or a void); a row once recorded stays recorded, once voided stays voided. */
  async merge(manager: EntityManager, tenantId: string, a: OpportunityActivity): Promise<void> {
    await manager.query(
      `INSERT INTO opportunity_activities (tenant_id, activity_id, kind, opportunity_id, deal_id, occurred_at, occurred_ms, to_stage, amount,
                                           expected_close_date, probability, recorded, voided)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (tenant_id, activity_id) DO UPDATE
         SET recorded = opportunity_activities.recorded OR EXCLUDED.recorded, voided = opportunity_activities.voided OR EXCLUDED.voided,
             updated_at = now()
       WHERE NOT (opportunity_activities.recorded >= EXCLUDED.recorded AND opportunity_activities.voided >= EXCLUDED.voided)`,
      [
        tenantId,
        a.activityId,
        a.kind,
        a.opportunityId,
        a.dealId,
        a.occurredAt,
        a.occurredMs,
        a.toStage,
        a.amount,
        a.expectedCloseDate,
        a.probability,
        a.recorded,
        a.voided,
      ],
    );
  }

  /** The current state of each of these opportunities that anything not voided is known about. */
  async states(manager: EntityManager, tenantId: string, opportunityIds: readonly string[]): Promise<Map<string, OpportunityState>> {
    const out = new Map<string, OpportunityState>();
    if (opportunityIds.length === 0) return out;
    const rows = ((await manager.query(`SELECT * FROM opportunity_activities WHERE tenant_id = $1 AND opportunity_id = ANY($2::text[])`, [
      tenantId,
      opportunityIds,
    ])) as Row[]).map(toActivity);
    const dealIds = [...new Set(rows.flatMap((r) => (r.kind === 'deal_won' && r.dealId !== null ? [r.dealId] : [])))];
    const cancellations =
      dealIds.length === 0
        ? []
        : ((await manager.query(`SELECT * FROM opportunity_activities WHERE tenant_id = $1 AND kind = 'deal_cancelled' AND deal_id = ANY($2::text[])`, [
            tenantId,
            dealIds,
          ])) as Row[]).map(toActivity);
    for (const id of opportunityIds) {
      const state = opportunityStateOf(
        id,
        rows.filter((r) => r.opportunityId === id),
        cancellations,
      );
      if (state) out.set(id, state);
    }
    return out;
  }
}
