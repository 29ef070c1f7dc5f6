import { MigrationInterface, QueryRunner } from 'typeorm';

/** SPEC §6's tenant setting `dealsRequireApproval`; tenants that never set it read false. */
export class DealsRequireApproval1765300000100 implements MigrationInterface {
  name = 'DealsRequireApproval1765300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE tenant_settings ADD COLUMN deals_require_approval boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant_settings DROP COLUMN deals_require_approval`);
  }
}
