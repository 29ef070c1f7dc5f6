import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Forecast KPIs (issue 17): the forecast fields of every opportunity activity, kept per activity so
 * a void takes one back (`kpi_opportunity_events`); each opportunity's forecast with the keys it is
 * applied to (`kpi_forecasts`, found by rep and close instant when the roster or a sprint changes);
 * and two running totals per key. Weighted amounts are cents × probability millionths, which can pass
 * 2⁶³, hence numeric. Before this release no activity carried forecast fields, so nothing consumed
 * earlier is missing. The rebuild's shadow copies get the same tables and columns.
 */
export class OpportunityForecasts1765300000000 implements MigrationInterface {
  name = 'OpportunityForecasts1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kpi_opportunity_events (
        tenant_id         text    NOT NULL,
        activity_id       text    NOT NULL,
        opportunity_id    text    NOT NULL,
        rep_id            text    NOT NULL,
        created           boolean NOT NULL,
        occurred_ms       bigint  NOT NULL,
        amount_cents      bigint,
        close_date        text,
        probability_units bigint,
        recorded_ms       bigint,
        voided            boolean NOT NULL,
        void_recorded_ms  bigint,
        PRIMARY KEY (tenant_id, activity_id)
      )`);
    await q.query(`CREATE INDEX kpi_opportunity_events_opportunity ON kpi_opportunity_events (tenant_id, opportunity_id)`);
    await q.query(`
      CREATE TABLE kpi_forecasts (
        tenant_id      text   NOT NULL,
        opportunity_id text   NOT NULL,
        rep_id         text,
        close_ms       bigint,
        applied        text,
        PRIMARY KEY (tenant_id, opportunity_id)
      )`);
    await q.query(`CREATE INDEX kpi_forecasts_rep_close ON kpi_forecasts (tenant_id, rep_id, close_ms)`);
    await q.query(
      `ALTER TABLE kpi_accumulators ADD COLUMN forecast_pipeline_cents bigint NOT NULL DEFAULT 0,
                                    ADD COLUMN forecast_weighted_units numeric NOT NULL DEFAULT 0`,
    );
    const [shadow] = (await q.query(`SELECT to_regclass('kpi_rebuild.kpi_accumulators') IS NOT NULL AS present`)) as { present: boolean }[];
    if (shadow?.present) {
      await q.query(
        `ALTER TABLE kpi_rebuild.kpi_accumulators ADD COLUMN forecast_pipeline_cents bigint NOT NULL DEFAULT 0,
                                                  ADD COLUMN forecast_weighted_units numeric NOT NULL DEFAULT 0`,
      );
      for (const table of ['kpi_opportunity_events', 'kpi_forecasts']) {
        await q.query(`CREATE TABLE kpi_rebuild.${table} (LIKE public.${table} INCLUDING ALL)`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const schema of ['kpi_rebuild', 'public']) {
      await q.query(`DROP TABLE IF EXISTS ${schema}.kpi_forecasts`);
      await q.query(`DROP TABLE IF EXISTS ${schema}.kpi_opportunity_events`);
      await q.query(`ALTER TABLE IF EXISTS ${schema}.kpi_accumulators DROP COLUMN IF EXISTS forecast_pipeline_cents, DROP COLUMN IF EXISTS forecast_weighted_units`);
    }
  }
}
