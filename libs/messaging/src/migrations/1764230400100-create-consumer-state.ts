import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consumer state lives next to the read models it describes: `consumer_offsets` is updated in the
 * same transaction as every read-model change (so a crash can never apply a batch without also
 * recording it), and `processed_events` remembers CloudEvent ids so a record the outbox relay
 * published twice (same id, new offset) is applied once.
 */
export class CreateConsumerState1764230400100 implements MigrationInterface {
  name = 'CreateConsumerState1764230400100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consumer_offsets (
        group_id    text    NOT NULL,
        topic       text    NOT NULL,
        partition   integer NOT NULL,
        next_offset bigint  NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition)
      )`);
    await q.query(`
      CREATE TABLE processed_events (
        group_id     text NOT NULL,
        event_id     text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, event_id)
      )`);
    await q.query('CREATE INDEX processed_events_age ON processed_events (processed_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS processed_events');
    await q.query('DROP TABLE IF EXISTS consumer_offsets');
  }
}
