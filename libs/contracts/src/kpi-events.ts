import { Type, type Static } from '@sinclair/typebox';
import { defineEvent, type ContractProblem } from './event-definition';
import { KpiMetrics, KpiScopeSchema } from './kpi-metrics';
import { kpiKey } from './message-keys';
import { isPeriodKeyOf, PeriodTypeSchema } from './periods';
import { TOPICS } from './topics';
import { described, Id, Instant } from './wire-formats';

export const KpiPeriod = Type.Object({
  type: PeriodTypeSchema,
  key: described(Id, 'Period key: 2026-11-27, 2026-W48, 2026-11, FY2027-Q1, FY2027, or the sprint id.'),
  start: described(Instant, 'First instant of the period in the tenant time zone (inclusive).'),
  end: described(Instant, 'First instant after the period (exclusive).'),
});
export type KpiPeriod = Static<typeof KpiPeriod>;

export const KpiSnapshotData = Type.Object({
  scope: KpiScopeSchema,
  scopeId: Id,
  period: KpiPeriod,
  metrics: KpiMetrics,
  revision: Type.Integer({
    minimum: 1,
    description: "Increases every time this key's numbers are restated.",
  }),
  asOf: described(
    Instant,
    'The newest recordedtime among the events this revision reflects (not the wall clock), so a rebuild reproduces it.',
  ),
});
export type KpiSnapshotData = Static<typeof KpiSnapshotData>;

function snapshotProblem(data: KpiSnapshotData, tenantId: string): ContractProblem | undefined {
  if (!isPeriodKeyOf(data.period.type, data.period.key)) {
    return { path: '/period/key', message: `is not a ${data.period.type} key` };
  }
  if (data.scope === 'org' && data.period.type === 'sprint') {
    return { path: '/period/type', message: 'sprint periods exist for rep and team scope only' };
  }
  if (data.scope === 'org' && data.scopeId !== tenantId) {
    return { path: '/scopeId', message: 'must be the tenant id for org scope' };
  }
  return undefined;
}

/** KPI event definitions. */
export const KPI_EVENTS = [
  defineEvent({
    type: 'pacer.kpi.snapshot.v1',
    topic: TOPICS.kpi,
    summary:
      'The latest KPIs of one scope and period; the topic is compacted, so the last value per key is current.',
    schema: KpiSnapshotData,
    subject: (data) => data.scopeId,
    key: (data, tenantId) => kpiKey(tenantId, data.scope, data.scopeId, data.period.type, data.period.key),
    check: snapshotProblem,
  }),
] as const;
