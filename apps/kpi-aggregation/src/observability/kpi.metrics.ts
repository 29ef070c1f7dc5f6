import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from '@pacer/observability';

/** KPI-specific series on the shared registry (consumer lag, batch sizes and outbox latency come from the libs). */
export const kpiSnapshotsPublished = new Counter({
  name: 'pacer_kpi_snapshots_published_total',
  help: 'KPI snapshots written to the outbox, by scope and period type',
  labelNames: ['scope', 'period_type'] as const,
  registers: [registry],
});

export const kpiSnapshotFreshness = new Histogram({
  name: 'pacer_kpi_snapshot_freshness_seconds',
  help: "Time from a snapshot's asOf (newest recordedtime it reflects) to its outbox commit",
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const kpiBatchInputs = new Histogram({
  name: 'pacer_kpi_batch_inputs',
  help: 'KPI inputs (activities, voids, roster, sprint and quota events) per consumer batch',
  buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
  registers: [registry],
});

export const kpiBatchSnapshots = new Histogram({
  name: 'pacer_kpi_batch_snapshots',
  help: 'Changed snapshots published per consumer batch',
  buckets: [0, 1, 5, 10, 50, 100, 250, 500, 1000, 5000],
  registers: [registry],
});

export const kpiAggregationDuration = new Histogram({
  name: 'pacer_kpi_aggregation_duration_seconds',
  help: 'Time to fold one consumer batch into the KPI read models (inside its transaction)',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const kpiRebuilding = new Gauge({
  name: 'pacer_kpi_rebuild_in_progress',
  help: 'Rebuilds this process is running (snapshots keep being published meanwhile)',
  registers: [registry],
});
