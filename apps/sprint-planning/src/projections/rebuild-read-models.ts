import { DataSource } from 'typeorm';
import { StoredEvent } from '@pacer/event-store';
import { PROJECTION_TABLES, SprintPlanningProjection } from './sprint-planning.projection';

interface EventRow {
  global_position: string;
  stream_id: string;
  stream_type: string;
  version: number;
  event_id: string;
  type: string;
  tenant_id: string;
  data: unknown;
  metadata: Record<string, unknown>;
  occurred_at: Date;
  recorded_at: Date;
}

/**
 * Empties the read models and replays the whole event store into them, in global order, in one
 * transaction. Appends are held off meanwhile: `LOCK streams IN EXCLUSIVE MODE` conflicts with every
 * command (each locks or inserts a stream head before it appends), so once the lock is granted every
 * event writer has committed and none can start — which is also why this reads `events` directly
 * rather than through `EventStore.readAll`, whose in-flight-transaction horizon is about live tailing.
 * KPI snapshots are not touched: they are another service's numbers, not a projection of ours.
 */
export async function rebuildReadModels(
  dataSource: DataSource,
  projection: SprintPlanningProjection,
  batchSize = 1000,
): Promise<{ events: number }> {
  return dataSource.transaction(async (m) => {
    await m.query('LOCK TABLE streams IN EXCLUSIVE MODE');
    await m.query(`TRUNCATE ${PROJECTION_TABLES.join(', ')}`);
    let after = '0';
    let total = 0;
    for (;;) {
      const rows = (await m.query(
        `SELECT global_position, stream_id, stream_type, version, event_id, type, tenant_id, data, metadata, occurred_at, recorded_at
           FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [after, batchSize],
      )) as EventRow[];
      if (rows.length === 0) return { events: total };
      const events: StoredEvent[] = rows.map((r) => ({
        globalPosition: BigInt(r.global_position),
        streamId: r.stream_id,
        streamType: r.stream_type,
        version: r.version,
        eventId: r.event_id,
        type: r.type,
        tenantId: r.tenant_id,
        data: r.data,
        metadata: r.metadata,
        occurredAt: r.occurred_at,
        recordedAt: r.recorded_at,
      }));
      await projection.apply(m, events);
      total += rows.length;
      after = rows[rows.length - 1]?.global_position ?? after;
    }
  });
}
