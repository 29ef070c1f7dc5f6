import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log of SPEC §6 ("every command in every service records its actor"), one per service
 * database: each service lists this migration and writes its rows in the command's own transaction.
 * `tenant_id` is '' for platform-wide operations (an operator's `scope=all` rebuild).
 */
export class CreateAuditLog1765300000000 implements MigrationInterface {
  name = 'CreateAuditLog1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        seq         bigserial   PRIMARY KEY,
        tenant_id   text        NOT NULL,
        actor_sub   text        NOT NULL,
        actor_role  text        NOT NULL,
        type        text        NOT NULL,
        subject     jsonb       NOT NULL DEFAULT '{}'::jsonb,
        summary     jsonb       NOT NULL DEFAULT '{}'::jsonb,
        at          timestamptz NOT NULL
      )`);
    // GET /v1/audit pages a tenant newest first, optionally narrowed to one actor or one type.
    await q.query(`CREATE INDEX audit_log_by_time ON audit_log (tenant_id, at DESC, seq DESC)`);
    await q.query(`CREATE INDEX audit_log_by_actor ON audit_log (tenant_id, actor_sub, at DESC, seq DESC)`);
    await q.query(`CREATE INDEX audit_log_by_type ON audit_log (tenant_id, type, at DESC, seq DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS audit_log');
  }
}
