import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only event log. `streams` holds each stream's head so an append can lock one row and check
 * the expected version; `UNIQUE(stream_id, version)` backs that check up at the storage level.
 * `tx_id` records the writing transaction so global-position readers can stop below the oldest
 * transaction still in flight and never skip an event that commits late with a lower position.
 */
export class CreateEventStore1764230400001 implements MigrationInterface {
  name = 'CreateEventStore1764230400001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE streams (
        stream_id   text PRIMARY KEY,
        stream_type text   NOT NULL,
        version     integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE events (
        global_position bigserial PRIMARY KEY,
        stream_id       text        NOT NULL,
        stream_type     text        NOT NULL,
        version         integer     NOT NULL,
        event_id        uuid        NOT NULL UNIQUE,
        type            text        NOT NULL,
        tenant_id       text        NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        occurred_at     timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT events_stream_version UNIQUE (stream_id, version)
      )`);
    await q.query('CREATE INDEX events_tenant_type ON events (tenant_id, type, global_position)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS events');
    await q.query('DROP TABLE IF EXISTS streams');
  }
}
