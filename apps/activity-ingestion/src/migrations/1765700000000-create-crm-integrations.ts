import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CRM webhooks (SPEC §9): a tenant's settings per CRM (the sealed secret, allowed accounts, mappings),
 * the latest known fields of each CRM deal (HubSpot sends one property per event, so the owner and
 * amount of a deal won later must be remembered), and the items that could not be recorded yet.
 */
export class CreateCrmIntegrations1765700000000 implements MigrationInterface {
  name = 'CreateCrmIntegrations1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE crm_integrations (
        tenant_id         text NOT NULL,
        vendor            text NOT NULL,
        secret_sealed     text,
        secret_updated_at timestamptz,
        account_ids       text[] NOT NULL DEFAULT '{}',
        default_currency  text,
        mappings          jsonb NOT NULL DEFAULT '{"users": [], "stages": []}',
        mappings_updated_at timestamptz,
        updated_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, vendor)
      )`);
    await q.query(`
      CREATE TABLE crm_deals (
        tenant_id  text NOT NULL,
        deal_key   text NOT NULL,
        state      jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, deal_key)
      )`);
    await q.query(`
      CREATE TABLE crm_exceptions (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id     text NOT NULL,
        vendor        text NOT NULL,
        item_key      text NOT NULL,
        item          jsonb NOT NULL,
        reason        text NOT NULL,
        crm_user_id   text,
        detail        text NOT NULL,
        errors        jsonb NOT NULL DEFAULT '[]',
        status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        occurrences   integer NOT NULL DEFAULT 1,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at  timestamptz NOT NULL DEFAULT now(),
        resolved_at   timestamptz,
        UNIQUE (tenant_id, item_key)
      )`);
    await q.query(`CREATE INDEX crm_exceptions_by_time ON crm_exceptions (tenant_id, last_seen_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS crm_exceptions');
    await q.query('DROP TABLE IF EXISTS crm_deals');
    await q.query('DROP TABLE IF EXISTS crm_integrations');
  }
}
