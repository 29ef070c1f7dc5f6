import { deterministicEventId, eventKey, makeEvent, TOPICS } from '@pacer/contracts';
import { OutboxMessage } from '@pacer/messaging';
import { PublishedSnapshot } from '../domain/kpi-batch.processor';
import { snapshotData } from '../domain/kpi-snapshot';
import { kpiSnapshotFreshness, kpiSnapshotsPublished } from '../observability/kpi.metrics';

/**
 * Outbox records for published snapshots: `pacer.kpi.snapshot.v1` keyed by the KPI key, with an id
 * derived from tenant, key and revision, so a retried or rebuilt revision carries the same id.
 */
export function snapshotMessages(published: readonly PublishedSnapshot[]): OutboxMessage[] {
  const now = Date.now();
  return published.map(({ tenantId, snapshot }) => {
    const data = snapshotData(snapshot);
    const event = makeEvent('pacer.kpi.snapshot.v1', {
      id: deterministicEventId(tenantId, snapshot.keyId, String(snapshot.revision)),
      tenantId,
      time: data.asOf,
      data,
    });
    kpiSnapshotsPublished.inc({ scope: data.scope, period_type: data.period.type });
    kpiSnapshotFreshness.observe(Math.max(0, now - snapshot.asOfMs) / 1000);
    return { topic: TOPICS.kpi, key: eventKey(event), value: event };
  });
}
