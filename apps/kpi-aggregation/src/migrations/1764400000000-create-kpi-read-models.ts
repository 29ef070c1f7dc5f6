import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The KPI read models. `kpi_state` is one row: the rebuild in progress (epoch, the end offsets it
 * must replay to, how far it got). Instants are epoch milliseconds and money is integer cents (bigint): exact,
 * and cheap to add up. Everything but `kpi_snapshots` and `kpi_state` is derived from the topics
 * and is dropped by a rebuild; `kpi_snapshots` is what was published (and carries the revisions),
 * so it survives a rebuild and lets the rebuild publish only what differs.
 */
export class CreateKpiReadModels1764400000000 implements MigrationInterface {
  name = 'CreateKpiReadModels1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kpi_state (
        id           smallint PRIMARY KEY CHECK (id = 1),
        epoch        integer  NOT NULL DEFAULT 0,
        rebuilding   boolean  NOT NULL DEFAULT false,
        targets      jsonb    NOT NULL DEFAULT '[]',
        progress     jsonb    NOT NULL DEFAULT '[]',
        started_at   timestamptz,
        completed_at timestamptz,
        republished  integer
      )`);
    await q.query(`INSERT INTO kpi_state (id) VALUES (1)`);

    await q.query(`
      CREATE TABLE kpi_settings (
        tenant_id               text     PRIMARY KEY,
        timezone                text     NOT NULL,
        week_starts_on          smallint NOT NULL,
        fiscal_year_start_month smallint NOT NULL,
        recorded_ms             bigint   NOT NULL,
        event_id                text     NOT NULL
      )`);

    await q.query(`
      CREATE TABLE kpi_membership_events (
        tenant_id   text    NOT NULL,
        event_id    text    NOT NULL,
        team_id     text    NOT NULL,
        rep_id      text    NOT NULL,
        member      boolean NOT NULL,
        at_ms       bigint  NOT NULL,
        recorded_ms bigint  NOT NULL,
        PRIMARY KEY (tenant_id, event_id)
      )`);
    await q.query(`CREATE INDEX kpi_membership_events_pair ON kpi_membership_events (tenant_id, team_id, rep_id)`);

    await q.query(`
      CREATE TABLE kpi_memberships (
        tenant_id text   NOT NULL,
        team_id   text   NOT NULL,
        rep_id    text   NOT NULL,
        from_ms   bigint NOT NULL,
        to_ms     bigint,
        PRIMARY KEY (tenant_id, team_id, rep_id, from_ms)
      )`);
    await q.query(`CREATE INDEX kpi_memberships_rep ON kpi_memberships (tenant_id, rep_id)`);

    await q.query(`
      CREATE TABLE kpi_sprints (
        tenant_id   text    NOT NULL,
        sprint_id   text    NOT NULL,
        team_id     text    NOT NULL,
        start_date  text    NOT NULL,
        length_days integer NOT NULL,
        recorded_ms bigint  NOT NULL,
        event_id    text    NOT NULL,
        PRIMARY KEY (tenant_id, sprint_id)
      )`);
    await q.query(`CREATE INDEX kpi_sprints_team ON kpi_sprints (tenant_id, team_id)`);

    await q.query(`
      CREATE TABLE kpi_quotas (
        tenant_id    text   NOT NULL,
        rep_id       text   NOT NULL,
        period_key   text   NOT NULL,
        amount_cents bigint NOT NULL,
        recorded_ms  bigint NOT NULL,
        event_id     text   NOT NULL,
        PRIMARY KEY (tenant_id, rep_id, period_key)
      )`);
    await q.query(`CREATE INDEX kpi_quotas_key ON kpi_quotas (tenant_id, period_key)`);

    await q.query(`
      CREATE TABLE kpi_cancels (
        tenant_id        text    NOT NULL,
        activity_id      text    NOT NULL,
        deal_id          text    NOT NULL,
        recorded_ms      bigint,
        voided           boolean NOT NULL,
        void_recorded_ms bigint,
        PRIMARY KEY (tenant_id, activity_id)
      )`);
    await q.query(`CREATE INDEX kpi_cancels_deal ON kpi_cancels (tenant_id, deal_id)`);

    await q.query(`
      CREATE TABLE kpi_facts (
        tenant_id        text     NOT NULL,
        activity_id      text     NOT NULL,
        rep_id           text     NOT NULL,
        kind             text     NOT NULL,
        occurred_ms      bigint   NOT NULL,
        recorded_ms      bigint,
        voided           boolean  NOT NULL,
        void_recorded_ms bigint,
        connected        boolean  NOT NULL,
        amount_cents     bigint,
        credit_cents     bigint,
        is_primary       boolean  NOT NULL,
        deal_id          text,
        opportunity_id   text,
        opened_ms        bigint,
        applied          text,
        PRIMARY KEY (tenant_id, activity_id, rep_id)
      )`);
    await q.query(`CREATE INDEX kpi_facts_rep_time ON kpi_facts (tenant_id, rep_id, occurred_ms)`);
    await q.query(`CREATE INDEX kpi_facts_deal ON kpi_facts (tenant_id, deal_id) WHERE deal_id IS NOT NULL`);
    await q.query(`CREATE INDEX kpi_facts_opportunity ON kpi_facts (tenant_id, opportunity_id) WHERE opportunity_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE kpi_accumulators (
        tenant_id             text    NOT NULL,
        kpi_key               text    NOT NULL,
        scope                 text    NOT NULL,
        scope_id              text    NOT NULL,
        period_type           text    NOT NULL,
        period_key            text    NOT NULL,
        calls                 integer NOT NULL,
        connects              integer NOT NULL,
        emails                integer NOT NULL,
        meetings_scheduled    integer NOT NULL,
        meetings_held         integer NOT NULL,
        leads_created         integer NOT NULL,
        opportunities_created integer NOT NULL,
        pipeline_cents        bigint  NOT NULL,
        deals_won             integer NOT NULL,
        deals_lost            integer NOT NULL,
        revenue_cents         bigint  NOT NULL,
        cycle_ms_sum          bigint  NOT NULL,
        cycle_count           integer NOT NULL,
        as_of_ms              bigint,
        PRIMARY KEY (tenant_id, kpi_key)
      )`);

    await q.query(`
      CREATE TABLE kpi_snapshots (
        tenant_id    text    NOT NULL,
        kpi_key      text    NOT NULL,
        scope        text    NOT NULL,
        scope_id     text    NOT NULL,
        period_type  text    NOT NULL,
        period_key   text    NOT NULL,
        period_start text    NOT NULL,
        period_end   text    NOT NULL,
        start_ms     bigint  NOT NULL,
        end_ms       bigint  NOT NULL,
        metrics      jsonb   NOT NULL,
        revision     integer NOT NULL,
        as_of_ms     bigint  NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, kpi_key)
      )`);
    await q.query(`CREATE INDEX kpi_snapshots_scope ON kpi_snapshots (tenant_id, scope, scope_id, period_type, start_ms)`);
    await q.query(`CREATE INDEX kpi_snapshots_board ON kpi_snapshots (tenant_id, period_type, period_key, scope)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'kpi_snapshots',
      'kpi_accumulators',
      'kpi_facts',
      'kpi_cancels',
      'kpi_quotas',
      'kpi_sprints',
      'kpi_memberships',
      'kpi_membership_events',
      'kpi_settings',
      'kpi_state',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
