import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-tenant rate limit's state (PostgresThrottlerStorage), in the service's own database so every
 * replica spends the same budget: one row per key holding its GCRA "theoretical arrival time" in epoch
 * milliseconds. A row whose `tat` is past is a full budget, and is swept. Unlogged: state lost in a
 * crash only forgives at most one minute of budget, and skipping the WAL keeps a write per request cheap.
 */
export class CreateRateLimits1765650000000 implements MigrationInterface {
  name = 'CreateRateLimits1765650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limits (
        key  text             PRIMARY KEY,
        tat  double precision NOT NULL
      )`);
    await q.query(`CREATE INDEX rate_limits_by_tat ON rate_limits (tat)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS rate_limits');
  }
}
