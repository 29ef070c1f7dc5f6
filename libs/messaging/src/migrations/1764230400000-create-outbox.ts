import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox. Rows are written in the same transaction as the state change they
 * announce and deleted once Kafka has acknowledged them, so the table only holds the backlog.
 * `value` is bytea because dead-lettered messages are forwarded byte for byte, valid JSON or not.
 */
export class CreateOutbox1764230400000 implements MigrationInterface {
  name = 'CreateOutbox1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq         bigserial PRIMARY KEY,
        topic       text        NOT NULL,
        key         text,
        value       bytea       NOT NULL,
        headers     jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // Wakes the relay at commit time (NOTIFY is delivered only when the writing transaction commits),
    // so publish latency is not bounded below by the poll interval.
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('pacer_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS outbox_notify ON outbox');
    await q.query('DROP FUNCTION IF EXISTS outbox_notify()');
    await q.query('DROP TABLE IF EXISTS outbox');
  }
}
