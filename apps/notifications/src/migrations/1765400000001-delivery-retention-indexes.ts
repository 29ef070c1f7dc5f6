import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-destination pending and failed counts (destination status) without scanning a destination's
 * whole history, and the index the retention job deletes old finished deliveries by.
 */
export class DeliveryRetentionIndexes1765400000001 implements MigrationInterface {
  name = 'DeliveryRetentionIndexes1765400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX deliveries_pending_by_destination ON deliveries (tenant_id, destination_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_failed_by_destination ON deliveries (tenant_id, destination_id) WHERE status = 'failed'`);
    await q.query(`CREATE INDEX deliveries_finished ON deliveries (created_at) WHERE status <> 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS deliveries_finished`);
    await q.query(`DROP INDEX IF EXISTS deliveries_failed_by_destination`);
    await q.query(`DROP INDEX IF EXISTS deliveries_pending_by_destination`);
  }
}
