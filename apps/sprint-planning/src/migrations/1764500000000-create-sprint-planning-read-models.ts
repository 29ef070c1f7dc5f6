import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of sprint planning. Everything but `kpi_snapshots` is a projection of the service's
 * own event store (rebuilt by `rebuildReadModels`); `kpi_snapshots` is the latest KPI snapshot per key
 * consumed from pacer.kpi.v1. Dates are `yyyy-MM-dd` text (tenant-calendar dates have no zone, and the
 * pg driver would turn a DATE into a JS Date at the server's midnight); `as_of` keeps the producer's
 * exact spelling.
 */
export class CreateSprintPlanningReadModels1764500000000 implements MigrationInterface {
  name = 'CreateSprintPlanningReadModels1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_settings (
        tenant_id               text PRIMARY KEY,
        timezone                text        NOT NULL,
        week_starts_on          integer     NOT NULL,
        fiscal_year_start_month integer     NOT NULL,
        version                 integer     NOT NULL,
        updated_at              timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE teams (
        tenant_id   text        NOT NULL,
        team_id     text        NOT NULL,
        name        text        NOT NULL,
        sales_model text        NOT NULL,
        version     integer     NOT NULL,
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, team_id)
      )`);
    await q.query(`
      CREATE TABLE team_memberships (
        tenant_id      text        NOT NULL,
        team_id        text        NOT NULL,
        rep_id         text        NOT NULL,
        seq            integer     NOT NULL,
        name           text        NOT NULL,
        role           text        NOT NULL,
        effective_from text        NOT NULL,
        effective_to   text,
        PRIMARY KEY (tenant_id, team_id, rep_id, seq)
      )`);
    await q.query(`CREATE INDEX team_memberships_rep ON team_memberships (tenant_id, rep_id)`);
    await q.query(`
      CREATE TABLE sprints (
        tenant_id   text        NOT NULL,
        sprint_id   text        NOT NULL,
        team_id     text        NOT NULL,
        start_date  text        NOT NULL,
        length_days integer     NOT NULL,
        goal        text        NOT NULL,
        timezone    text        NOT NULL,
        status      text        NOT NULL,
        version     integer     NOT NULL,
        planned_at  timestamptz NOT NULL,
        started_at  timestamptz,
        closed_at   timestamptz,
        PRIMARY KEY (tenant_id, sprint_id)
      )`);
    await q.query(`CREATE INDEX sprints_team ON sprints (tenant_id, team_id, start_date)`);
    await q.query(`
      CREATE TABLE sprint_commitments (
        tenant_id         text  NOT NULL,
        sprint_id         text  NOT NULL,
        rep_id            text  NOT NULL,
        targets           jsonb NOT NULL,
        committed_targets jsonb,
        item_ids          jsonb NOT NULL,
        PRIMARY KEY (tenant_id, sprint_id, rep_id)
      )`);
    await q.query(`
      CREATE TABLE sprint_items (
        tenant_id         text    NOT NULL,
        sprint_id         text    NOT NULL,
        item_id           text    NOT NULL,
        rep_id            text    NOT NULL,
        title             text    NOT NULL,
        opportunity_id    text,
        due_date          text,
        status            text    NOT NULL,
        in_snapshot       boolean NOT NULL,
        added_after_start boolean NOT NULL,
        removed           boolean NOT NULL,
        carried_from      text,
        carried_to        text,
        PRIMARY KEY (tenant_id, sprint_id, item_id)
      )`);
    await q.query(`
      CREATE TABLE sprint_reports (
        tenant_id    text        NOT NULL,
        sprint_id    text        NOT NULL,
        team_id      text        NOT NULL,
        start_date   text        NOT NULL,
        report       jsonb       NOT NULL,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, sprint_id)
      )`);
    await q.query(`CREATE INDEX sprint_reports_team ON sprint_reports (tenant_id, team_id, start_date)`);
    await q.query(`
      CREATE TABLE kpi_snapshots (
        tenant_id    text        NOT NULL,
        scope        text        NOT NULL,
        scope_id     text        NOT NULL,
        period_type  text        NOT NULL,
        period_key   text        NOT NULL,
        revision     integer     NOT NULL,
        metrics      jsonb       NOT NULL,
        period_start text        NOT NULL,
        period_end   text        NOT NULL,
        as_of        text        NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, scope, scope_id, period_type, period_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'kpi_snapshots',
      'sprint_reports',
      'sprint_items',
      'sprint_commitments',
      'sprints',
      'team_memberships',
      'teams',
      'tenant_settings',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
