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

/** The `data` of the `pacer.kpi.snapshot.v1` event for a snapshot. */
export function snapshotData(s: SnapshotRecord): KpiSnapshotData {
  return {
    scope: s.ref.scope,
    scopeId: s.ref.scopeId,
    period: { type: s.ref.periodType, key: s.ref.periodKey, start: s.period.start, end: s.period.end },
    metrics: s.metrics,
    revision: s.revision,
    asOf: new Date(s.asOfMs).toISOString(),
  };
}
