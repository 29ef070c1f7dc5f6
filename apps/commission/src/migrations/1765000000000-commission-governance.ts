import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Governance (SPEC §6): closed periods, the statement workflow (status and version), prior-period
 * and manual adjustment lines in the ledger, disputes, and deals that wait for approval.
 */
export class CommissionGovernance1765000000000 implements MigrationInterface {
  name = 'CommissionGovernance1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // A period key closed for a tenant freezes every rep's statement of that key.
    await q.query(`
      CREATE TABLE closed_periods (
        tenant_id  text        NOT NULL,
        period_key text        NOT NULL,
        closed_at  timestamptz NOT NULL,
        closed_by  text        NOT NULL,
        paid_at    timestamptz,
        paid_by    text,
        PRIMARY KEY (tenant_id, period_key)
      )`);
    // `version` counts the changes of a statement's money (1 = as first posted); `approved_version`
    // is the version an approval was given for.
    await q.query(`
      ALTER TABLE statements
        ADD COLUMN status           text    NOT NULL DEFAULT 'draft',
        ADD COLUMN version          integer NOT NULL DEFAULT 1,
        ADD COLUMN approved_version integer,
        ADD COLUMN approved_by      text,
        ADD COLUMN approved_at      timestamptz,
        ADD CONSTRAINT statements_status CHECK (status IN ('draft', 'approved', 'paid'))`);
    // Existing statements: their total is their ledger's sum (true by construction until now; the
    // total is kept as that sum from here on, prior-period and manual lines included).
    await q.query(`
      UPDATE statements s SET total = coalesce(
        (SELECT sum(l.amount) FROM ledger_lines l
          WHERE l.tenant_id = s.tenant_id AND l.rep_id = s.rep_id AND l.period_key = s.period_key), 0)`);
    // A prior-period adjustment is stored in the open period it is booked in (`period_key`, whose
    // total it counts toward) and names the closed period whose calculation it corrects.
    await q.query('ALTER TABLE ledger_lines ADD COLUMN closed_period_key text');
    await q.query(`
      CREATE INDEX ledger_lines_closed_period ON ledger_lines (tenant_id, rep_id, closed_period_key, base_line_id)
        WHERE closed_period_key IS NOT NULL`);
    await q.query(`
      CREATE TABLE disputes (
        dispute_id        uuid        PRIMARY KEY,
        tenant_id         text        NOT NULL,
        rep_id            text        NOT NULL,
        period_key        text        NOT NULL,
        line_id           text        NOT NULL,
        comment           text        NOT NULL,
        status            text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        opened_by         text        NOT NULL,
        opened_at         timestamptz NOT NULL,
        opened_event_id   uuid        NOT NULL,
        resolution        text,
        adjustment_amount numeric,
        adjustment        text,
        resolved_by       text,
        resolved_at       timestamptz,
        resolved_event_id uuid
      )`);
    await q.query('CREATE INDEX disputes_list ON disputes (tenant_id, status, opened_at, dispute_id)');
    // Who recorded a deal_won (CloudEvent extensions recordedby/recordedrole; null for older events).
    await q.query(`
      ALTER TABLE deal_credits
        ADD COLUMN recorded_role text,
        ADD COLUMN recorded_by   text,
        ADD COLUMN recorded_at   timestamptz`);
    // dealsRequireApproval as it changed over time: a deal needs approval when the setting in force
    // at its recording says so, whichever of the two events arrives first.
    await q.query(`
      CREATE TABLE deal_approval_settings (
        tenant_id    text        NOT NULL,
        effective_at timestamptz NOT NULL,
        required     boolean     NOT NULL,
        event_id     text        NOT NULL,
        PRIMARY KEY (tenant_id, effective_at, event_id)
      )`);
    await q.query(`
      CREATE TABLE deal_decisions (
        tenant_id  text        NOT NULL,
        deal_id    text        NOT NULL,
        decision   text        NOT NULL CHECK (decision IN ('approved', 'rejected')),
        decided_by text        NOT NULL,
        reason     text,
        decided_at timestamptz NOT NULL,
        event_id   uuid        NOT NULL,
        PRIMARY KEY (tenant_id, deal_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS deal_decisions');
    await q.query('DROP TABLE IF EXISTS deal_approval_settings');
    await q.query(
      'ALTER TABLE deal_credits DROP COLUMN IF EXISTS recorded_role, DROP COLUMN IF EXISTS recorded_by, DROP COLUMN IF EXISTS recorded_at',
    );
    await q.query('DROP TABLE IF EXISTS disputes');
    await q.query('DROP INDEX IF EXISTS ledger_lines_closed_period');
    await q.query('ALTER TABLE ledger_lines DROP COLUMN IF EXISTS closed_period_key');
    await q.query(`ALTER TABLE statements DROP CONSTRAINT IF EXISTS statements_status,
      DROP COLUMN IF EXISTS status, DROP COLUMN IF EXISTS version, DROP COLUMN IF EXISTS approved_version,
      DROP COLUMN IF EXISTS approved_by, DROP COLUMN IF EXISTS approved_at`);
    await q.query('DROP TABLE IF EXISTS closed_periods');
  }
}
