import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The roster's display name and role on each membership event, so the leaderboard can name reps and
 * leave managers out (SPEC §5). Events consumed before this have neither until a rebuild replays them.
 * The rebuild's shadow copy (if that migration ran) gets the same columns.
 */
export class MemberNames1765200000000 implements MigrationInterface {
  name = 'MemberNames1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE kpi_membership_events ADD COLUMN name text, ADD COLUMN role text`);
    await q.query(`ALTER TABLE IF EXISTS kpi_rebuild.kpi_membership_events ADD COLUMN IF NOT EXISTS name text, ADD COLUMN IF NOT EXISTS role text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE IF EXISTS kpi_rebuild.kpi_membership_events DROP COLUMN IF EXISTS name, DROP COLUMN IF EXISTS role`);
    await q.query(`ALTER TABLE kpi_membership_events DROP COLUMN name, DROP COLUMN role`);
  }
}
