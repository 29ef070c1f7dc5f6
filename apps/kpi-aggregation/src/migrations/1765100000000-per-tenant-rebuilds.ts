import { MigrationInterface, QueryRunner } from 'typeorm';

/** The read models a rebuild replays into its shadow copy (every table derived from the topics). */
const SHADOWED = [
  'kpi_settings',
  'kpi_membership_events',
  'kpi_memberships',
  'kpi_sprints',
  'kpi_quotas',
  'kpi_cancels',
  'kpi_facts',
  'kpi_accumulators',
] as const;

/**
 * Rebuilds per tenant (or platform-wide, scope `*`) that never stop another tenant: the single
 * `kpi_state` row, which every consumer batch locked, gives way to one row per rebuild scope; the
 * replay writes into shadow copies of the derived tables in the `kpi_rebuild` schema (same names, so
 * the same store code runs there under a different `search_path`), and the live consumer parks the
 * rebuilding tenant's inputs in `kpi_rebuild_inbox` until the shadow is swapped in. See the README.
 */
export class PerTenantRebuilds1765100000000 implements MigrationInterface {
  name = 'PerTenantRebuilds1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS kpi_state`);
    await q.query(`
      CREATE TABLE kpi_rebuilds (
        scope        text        PRIMARY KEY,
        epoch        integer     NOT NULL,
        status       text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        phase        text        NOT NULL,
        targets      jsonb       NOT NULL,
        progress     jsonb       NOT NULL,
        swapped      text[]      NOT NULL DEFAULT '{}',
        attempts     integer     NOT NULL DEFAULT 0,
        reason       text,
        started_at   timestamptz NOT NULL,
        completed_at timestamptz,
        failed_at    timestamptz,
        republished  integer
      )`);
    await q.query(`
      CREATE TABLE kpi_rebuild_inbox (
        seq       bigserial PRIMARY KEY,
        scope     text      NOT NULL,
        tenant_id text      NOT NULL,
        input     text      NOT NULL
      )`);
    await q.query(`CREATE INDEX kpi_rebuild_inbox_scope ON kpi_rebuild_inbox (scope, tenant_id, seq)`);
    await q.query(`CREATE SCHEMA kpi_rebuild`);
    for (const table of SHADOWED) {
      await q.query(`CREATE TABLE kpi_rebuild.${table} (LIKE public.${table} INCLUDING ALL)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS kpi_rebuild CASCADE`);
    await q.query(`DROP TABLE IF EXISTS kpi_rebuild_inbox`);
    await q.query(`DROP TABLE IF EXISTS kpi_rebuilds`);
    await q.query(`
      CREATE TABLE kpi_state (
        id smallint PRIMARY KEY CHECK (id = 1), epoch integer NOT NULL DEFAULT 0, rebuilding boolean NOT NULL DEFAULT false,
        targets jsonb NOT NULL DEFAULT '[]', progress jsonb NOT NULL DEFAULT '[]', started_at timestamptz,
        completed_at timestamptz, republished integer
      )`);
    await q.query(`INSERT INTO kpi_state (id) VALUES (1)`);
  }
}
