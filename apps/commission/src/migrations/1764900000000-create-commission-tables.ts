import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commission's read models and facts. Plans, assignments and quotas are event-sourced (the `events`
 * table) with these tables as their projections; activities and roster events are stored as facts,
 * and every statement is recomputed from them. `ledger_lines` is the ledger: every delta ever
 * published, one row per statement line, append-only.
 */
export class CreateCommissionTables1764900000000 implements MigrationInterface {
  name = 'CreateCommissionTables1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_calendars (
        tenant_id               text PRIMARY KEY,
        timezone                text    NOT NULL,
        week_starts_on          integer NOT NULL,
        fiscal_year_start_month integer NOT NULL,
        event_id                text    NOT NULL,
        updated_at              timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE plan_versions (
        tenant_id      text    NOT NULL,
        plan_id        text    NOT NULL,
        version        integer NOT NULL,
        effective_from date    NOT NULL,
        body           json    NOT NULL,
        event_id       text    NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, plan_id, version)
      )`);
    await q.query(`
      CREATE TABLE plan_assignments (
        tenant_id      text NOT NULL,
        rep_id         text NOT NULL,
        effective_from date NOT NULL,
        plan_id        text NOT NULL,
        event_id       text NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, rep_id, effective_from)
      )`);
    await q.query('CREATE INDEX plan_assignments_plan ON plan_assignments (tenant_id, plan_id)');
    await q.query(`
      CREATE TABLE quotas (
        tenant_id  text    NOT NULL,
        rep_id     text    NOT NULL,
        period_key text    NOT NULL,
        amount     numeric NOT NULL,
        event_id   text    NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, rep_id, period_key)
      )`);
    await q.query(`
      CREATE TABLE deal_credits (
        tenant_id      text        NOT NULL,
        activity_id    text        NOT NULL,
        rep_id         text        NOT NULL,
        deal_id        text        NOT NULL,
        won_event_id   text        NOT NULL,
        occurred_at    timestamptz NOT NULL,
        occurred_text  text        NOT NULL,
        primary_rep_id text        NOT NULL,
        amount         numeric     NOT NULL,
        share          text        NOT NULL,
        credit         numeric     NOT NULL,
        currency       text        NOT NULL,
        voided_by      text,
        -- Whether a non-voided cancellation of the deal exists (kept by the writers of both tables),
        -- so recalculations look cancellations up only for the few deals that have one.
        cancelled      boolean     NOT NULL DEFAULT false,
        PRIMARY KEY (tenant_id, activity_id, rep_id)
      )`);
    await q.query('CREATE INDEX deal_credits_rep_time ON deal_credits (tenant_id, rep_id, occurred_at)');
    await q.query('CREATE INDEX deal_credits_deal ON deal_credits (tenant_id, deal_id)');
    await q.query(`
      CREATE TABLE deal_cancellations (
        tenant_id     text        NOT NULL,
        activity_id   text        NOT NULL,
        deal_id       text        NOT NULL,
        rep_id        text        NOT NULL,
        event_id      text        NOT NULL,
        occurred_at   timestamptz NOT NULL,
        occurred_text text        NOT NULL,
        voided_by     text,
        PRIMARY KEY (tenant_id, activity_id)
      )`);
    await q.query('CREATE INDEX deal_cancellations_deal ON deal_cancellations (tenant_id, deal_id)');
    await q.query(`
      CREATE TABLE voided_activities (
        tenant_id   text NOT NULL,
        activity_id text NOT NULL,
        event_id    text NOT NULL,
        PRIMARY KEY (tenant_id, activity_id)
      )`);
    await q.query(`
      CREATE TABLE team_membership_events (
        seq       bigserial PRIMARY KEY,
        tenant_id text        NOT NULL,
        team_id   text        NOT NULL,
        rep_id    text        NOT NULL,
        kind      text        NOT NULL,
        role      text,
        at        timestamptz NOT NULL,
        event_id  text        NOT NULL UNIQUE
      )`);
    await q.query('CREATE INDEX team_membership_events_rep ON team_membership_events (tenant_id, rep_id)');
    await q.query('CREATE INDEX team_membership_events_team ON team_membership_events (tenant_id, team_id)');
    // One row per rep: recalculations lock it, so the consumer and the API never diff one ledger at once.
    await q.query(`
      CREATE TABLE rep_ledgers (
        tenant_id text NOT NULL,
        rep_id    text NOT NULL,
        PRIMARY KEY (tenant_id, rep_id)
      )`);
    // A statement's head: its figures as a JSON summary, and where its calculation stands
    // (`checkpoint`, when later deals can extend it without recomputing the earlier ones).
    await q.query(`
      CREATE TABLE statements (
        tenant_id    text        NOT NULL,
        rep_id       text        NOT NULL,
        period_key   text        NOT NULL,
        window_start timestamptz NOT NULL,
        window_end   timestamptz NOT NULL,
        plan_id      text        NOT NULL,
        plan_version integer     NOT NULL,
        currency     text        NOT NULL,
        total        numeric     NOT NULL,
        summary      text        NOT NULL,
        checkpoint   text,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, rep_id, period_key)
      )`);
    // The breakdown (current calculation) line by line: section 0 is the head (deal lines in deal
    // order, with the retroactive adjustments and SPIFFs they brought), section 1 the tail (rounding,
    // SPIFFs not reached, cap). Appending a deal adds head rows and replaces the few tail rows.
    await q.query(`
      CREATE TABLE statement_lines (
        tenant_id  text     NOT NULL,
        rep_id     text     NOT NULL,
        period_key text     NOT NULL,
        section    smallint NOT NULL,
        position   integer  NOT NULL,
        body       text     NOT NULL,
        PRIMARY KEY (tenant_id, rep_id, period_key, section, position)
      )`);
    // The ledger. `seq` orders a statement's lines (sorted when read); the key is the line id.
    await q.query(`
      CREATE TABLE ledger_lines (
        seq          bigserial,
        tenant_id    text    NOT NULL,
        rep_id       text    NOT NULL,
        period_key   text    NOT NULL,
        line_id      text    NOT NULL,
        base_line_id text    NOT NULL,
        base_kind    text    NOT NULL,
        event_type   text    NOT NULL,
        deal_id      text,
        amount       numeric NOT NULL,
        currency     text    NOT NULL,
        event_id     uuid    NOT NULL,
        line         text    NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, rep_id, period_key, line_id)
      )`);
    await q.query(
      'CREATE INDEX ledger_lines_base ON ledger_lines (tenant_id, rep_id, period_key, base_line_id)',
    );
    await q.query(`
      CREATE TABLE deal_exceptions (
        tenant_id    text        NOT NULL,
        rep_id       text        NOT NULL,
        activity_id  text        NOT NULL,
        deal_id      text        NOT NULL,
        occurred_at  timestamptz NOT NULL,
        period_key   text,
        reason       text        NOT NULL,
        body         text        NOT NULL,
        PRIMARY KEY (tenant_id, rep_id, activity_id)
      )`);
    await q.query(
      'CREATE INDEX deal_exceptions_list ON deal_exceptions (tenant_id, occurred_at, rep_id, activity_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'deal_exceptions',
      'ledger_lines',
      'statement_lines',
      'statements',
      'rep_ledgers',
      'team_membership_events',
      'voided_activities',
      'deal_cancellations',
      'deal_credits',
      'quotas',
      'plan_assignments',
      'plan_versions',
      'tenant_calendars',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
