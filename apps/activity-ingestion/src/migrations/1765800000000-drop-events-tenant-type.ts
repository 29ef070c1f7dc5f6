import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `events_tenant_type` (tenant, type, global position) serves per-tenant replays of the event store
 * (sprint-planning's read-model rebuild); nothing in activity-ingestion reads events that way (the
 * listing uses the partial activity indexes, lookups the stream id, the relay the global position),
 * so here it was one of six index entries written per accepted activity and read by no query.
 */
export class DropEventsTenantType1765800000000 implements MigrationInterface {
  name = 'DropEventsTenantType1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS events_tenant_type');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX IF NOT EXISTS events_tenant_type ON events (tenant_id, type, global_position)');
  }
}
