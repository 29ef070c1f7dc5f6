import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store is the activity log and its only copy: each activity is a stream whose version 1
 * is the accepted activity and version 2 its void. These partial indexes serve `GET /v1/activities`
 * (tenant, optionally rep, in occurredAt order with a keyset cursor) straight from that log, so an
 * accepted activity costs one stream head, one event and one outbox row, and no read-model row.
 * Idempotency needs no table either: the stream id is derived from (tenant, activityId), and the
 * stream head's primary key is what concurrent writers of one id queue on.
 */
export class IndexActivityEvents1764300000000 implements MigrationInterface {
  name = 'IndexActivityEvents1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX activity_events_by_time ON events (tenant_id, occurred_at, stream_id)
       WHERE stream_type = 'activity' AND version = 1`);
    await q.query(`
      CREATE INDEX activity_events_by_rep ON events (tenant_id, (data ->> 'repId'), occurred_at, stream_id)
       WHERE stream_type = 'activity' AND version = 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS activity_events_by_rep');
    await q.query('DROP INDEX IF EXISTS activity_events_by_time');
  }
}
