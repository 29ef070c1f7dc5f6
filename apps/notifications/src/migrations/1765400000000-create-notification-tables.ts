import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Destinations (URLs and secrets sealed with SecretBox, breaker state here so every replica agrees),
 * the delivery outbox the consumers fill and the worker drains, and the roster, sprint, commitment
 * and KPI facts the notifications need (team filters, names, the midpoint pace check).
 */
export class CreateNotificationTables1765400000000 implements MigrationInterface {
  name = 'CreateNotificationTables1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE destinations (
        tenant_id            text    NOT NULL,
        destination_id       text    NOT NULL,
        name                 text    NOT NULL,
        kind                 text    NOT NULL CHECK (kind IN ('slack', 'webhook')),
        event_types          text[]  NOT NULL,
        team_ids             text[]  NOT NULL DEFAULT '{}',
        enabled              boolean NOT NULL DEFAULT true,
        url_sealed           text    NOT NULL,
        url_hint             text    NOT NULL,
        secret_sealed        text,
        breaker_state        text    NOT NULL DEFAULT 'closed' CHECK (breaker_state IN ('closed', 'open', 'half_open')),
        consecutive_failures integer NOT NULL DEFAULT 0,
        breaker_open_until   timestamptz,
        last_success_at      timestamptz,
        last_failure_at      timestamptz,
        last_failure         text,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, destination_id)
      )`);
    await q.query(`
      CREATE TABLE deliveries (
        delivery_id       bigserial PRIMARY KEY,
        tenant_id         text        NOT NULL,
        destination_id    text        NOT NULL,
        dedupe_key        text        NOT NULL,
        notification_type text        NOT NULL,
        notification      jsonb       NOT NULL,
        caused_at         timestamptz NOT NULL,
        status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts          integer     NOT NULL DEFAULT 0,
        next_attempt_at   timestamptz NOT NULL DEFAULT now(),
        claimed_until     timestamptz,
        last_error        text,
        last_status_code  integer,
        created_at        timestamptz NOT NULL DEFAULT now(),
        delivered_at      timestamptz,
        FOREIGN KEY (tenant_id, destination_id) REFERENCES destinations (tenant_id, destination_id) ON DELETE CASCADE,
        UNIQUE (tenant_id, destination_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_by_destination ON deliveries (tenant_id, destination_id, delivery_id DESC)`);
    await q.query(`
      CREATE TABLE tenant_settings (
        tenant_id text PRIMARY KEY,
        timezone  text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE teams (
        tenant_id text NOT NULL,
        team_id   text NOT NULL,
        name      text NOT NULL,
        PRIMARY KEY (tenant_id, team_id)
      )`);
    // Membership as facts, not intervals: the state at an instant is the latest fact at or before it
    // per team and rep, whatever order the facts arrived in.
    await q.query(`
      CREATE TABLE membership_facts (
        tenant_id text        NOT NULL,
        event_id  text        NOT NULL,
        team_id   text        NOT NULL,
        rep_id    text        NOT NULL,
        member    boolean     NOT NULL,
        at        timestamptz NOT NULL,
        name      text,
        PRIMARY KEY (tenant_id, event_id)
      )`);
    await q.query(`CREATE INDEX membership_facts_by_rep ON membership_facts (tenant_id, rep_id, at)`);
    await q.query(`
      CREATE TABLE sprints (
        tenant_id           text    NOT NULL,
        sprint_id           text    NOT NULL,
        team_id             text    NOT NULL,
        start_date          date,
        length_days         integer,
        planned_timezone    text,
        started             boolean NOT NULL DEFAULT false,
        closed              boolean NOT NULL DEFAULT false,
        midpoint_at         timestamptz,
        end_at              timestamptz,
        midpoint_checked_at timestamptz,
        PRIMARY KEY (tenant_id, sprint_id)
      )`);
    await q.query(
      `CREATE INDEX sprints_midpoint_due ON sprints (midpoint_at) WHERE midpoint_checked_at IS NULL AND started AND NOT closed`,
    );
    await q.query(`
      CREATE TABLE commitments (
        tenant_id text  NOT NULL,
        sprint_id text  NOT NULL,
        rep_id    text  NOT NULL,
        targets   jsonb NOT NULL,
        PRIMARY KEY (tenant_id, sprint_id, rep_id)
      )`);
    await q.query(`
      CREATE TABLE sprint_actuals (
        tenant_id text    NOT NULL,
        sprint_id text    NOT NULL,
        rep_id    text    NOT NULL,
        metrics   jsonb   NOT NULL,
        revision  integer NOT NULL,
        PRIMARY KEY (tenant_id, sprint_id, rep_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sprint_actuals', 'commitments', 'sprints', 'membership_facts', 'teams', 'tenant_settings', 'deliveries', 'destinations']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
