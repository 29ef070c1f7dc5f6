import { KpiMetrics, KpiSnapshotData } from '@pacer/contracts';
import { KpiKeyRef } from './kpi-key';
import { metricsEqual } from './kpi-metrics.calculator';

/** A snapshot as last published for one key. */
export interface SnapshotRecord {
  keyId: string;
  ref: KpiKeyRef;
  period: { start: string; end: string; startMs: number; endMs: number };
  metrics: KpiMetrics;
  asOfMs: number;
  revision: number;
}

/** Whether publishing `next` would tell a consumer anything `prev` did not. */
export function sameSnapshot(prev: SnapshotRecord, next: Omit<SnapshotRecord, 'revision'>): boolean {
  return (
    prev.asOfMs === next.asOfMs &&
    prev.period.start === next.period.start &&
    prev.period.end === next.period.end &&
    metricsEqual(prev.metrics, next.metrics)
  );
}

/** The last instant an RFC 3339 timestamp with a four-digit year can state. */
const LAST_ISO_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** A snapshot whose period the event contract cannot express (it ends after year 9999). */
export class KpiSnapshotRangeError extends Error {
  override readonly name = 'KpiSnapshotRangeError';
}

/** The `data` of the `pacer.kpi.snapshot.v1` event for a snapshot; throws KpiSnapshotRangeError past year 9999. */
export function snapshotData(s: SnapshotRecord): KpiSnapshotData {
  if (!(s.period.endMs <= LAST_ISO_MS) || !(s.period.startMs >= Date.parse('0000-01-01T00:00:00Z'))) {
    // The consumer dead-letters the record whose fold produced this period; nothing else is held up.
    throw new KpiSnapshotRangeError(`${s.ref.periodType} ${s.ref.periodKey} of ${s.ref.scope} ${s.ref.scopeId} ends ${s.period.end}, after year 9999`);
  }
  return {
    scope: s.ref.scope,
    scopeId: s.ref.scopeId,
    period: { type: s.ref.periodType, key: s.ref.periodKey, start: s.period.start, end: s.period.end },
    metrics: s.metrics,
    revision: s.revision,
    asOf: new Date(s.asOfMs).toISOString(),
  };
}
