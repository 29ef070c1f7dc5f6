import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-tenant request counters of the rate limit (PostgresThrottlerStorage), in the service's own
 * database so every replica counts against the same budget. One row per (key, window); rows of
 * finished windows are swept by the storage itself. Unlogged: a counter lost in a crash only forgives
 * part of one minute, and skipping the WAL keeps a write per request cheap.
 */
export class CreateRateLimitWindows1765650000000 implements MigrationInterface {
  name = 'CreateRateLimitWindows1765650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_windows (
        key           text        NOT NULL,
        window_start  bigint      NOT NULL,
        hits          integer     NOT NULL,
        expires_at    timestamptz NOT NULL,
        PRIMARY KEY (key, window_start)
      )`);
    await q.query(`CREATE INDEX rate_limit_windows_expiry ON rate_limit_windows (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS rate_limit_windows');
  }
}
