import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The opportunity activities sprint boards show deal state from (issue 17): one row per activity
 * (creation, stage change, win, loss, cancellation), merged idempotently (voided once voided), so the
 * board derives each opportunity's current state from the set whatever the arrival order. It is input
 * consumed from pacer.activities.v1, not a projection of sprint-planning's own streams.
 */
export class OpportunityActivities1765400000000 implements MigrationInterface {
  name = 'OpportunityActivities1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE opportunity_activities (
        tenant_id           text        NOT NULL,
        activity_id         text        NOT NULL,
        kind                text        NOT NULL,
        opportunity_id      text,
        deal_id             text,
        occurred_at         text        NOT NULL,
        occurred_ms         bigint      NOT NULL,
        to_stage            text,
        amount              text,
        expected_close_date text,
        probability         text,
        recorded            boolean     NOT NULL,
        voided              boolean     NOT NULL,
        updated_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, activity_id)
      )`);
    await q.query(`CREATE INDEX opportunity_activities_opportunity ON opportunity_activities (tenant_id, opportunity_id) WHERE opportunity_id IS NOT NULL`);
    await q.query(`CREATE INDEX opportunity_activities_deal ON opportunity_activities (tenant_id, deal_id) WHERE deal_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE opportunity_activities`);
  }
}
