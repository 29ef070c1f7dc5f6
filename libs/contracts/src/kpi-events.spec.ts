import { EVENT_EXAMPLES } from './event-examples';
import { validateEventData } from './event-validator';
import type { KpiSnapshotData } from './kpi-events';
import { KPI_METRIC_VALUE_KINDS, KPI_METRICS, KpiMetrics } from './kpi-metrics';

const type = 'pacer.kpi.snapshot.v1';
const snapshot = EVENT_EXAMPLES[type];

function check(patch: Partial<KpiSnapshotData>, tenantId = 'acme') {
  return validateEventData(type, { ...snapshot, ...patch }, { tenantId });
}

function withMetric(name: string, value: unknown) {
  return validateEventData(
    type,
    { ...snapshot, metrics: { ...snapshot.metrics, [name]: value } },
    { tenantId: 'acme' },
  );
}

describe('KPI metrics', () => {
  it('are the 22 metrics of SPEC §5, all in the snapshot schema', () => {
    expect(KPI_METRICS).toHaveLength(22);
    expect(Object.keys(KpiMetrics.properties)).toEqual([...KPI_METRICS]);
  });

  it('require the 18 first metrics; the 4 of issue 17 may be absent from snapshots published before them', () => {
    const later = ['revenuePerActivity', 'forecastPipeline', 'forecastWeighted', 'forecastCoverage'];
    expect([...KpiMetrics.required].sort()).toEqual(KPI_METRICS.filter((m) => !later.includes(m)).sort());
    const older = Object.fromEntries(Object.entries(snapshot.metrics).filter(([m]) => !later.includes(m)));
    expect(validateEventData(type, { ...snapshot, metrics: older }, { tenantId: 'acme' })).toEqual([]);
  });

  it.each(KPI_METRICS.map((m) => [m, KPI_METRIC_VALUE_KINDS[m]]))('%s is written as %s', (metric, kind) => {
    const accepts = (value: unknown) => withMetric(metric, value).length === 0;
    expect(accepts(3)).toBe(kind === 'count' || kind === 'numberOrNull');
    expect(accepts(0.25)).toBe(kind === 'numberOrNull');
    expect(accepts('1250.50')).toBe(kind === 'money' || kind === 'moneyOrNull');
    expect(accepts(null)).toBe(kind === 'moneyOrNull' || kind === 'numberOrNull');
  });

  it('rejects money as a float and a missing metric', () => {
    expect(withMetric('revenueWon', 48000.5)[0]).toEqual({
      path: '/metrics/revenueWon',
      message: 'must be string',
    });
    const { calls: _calls, ...metrics } = snapshot.metrics;
    expect(validateEventData(type, { ...snapshot, metrics }, { tenantId: 'acme' })).toEqual([
      { path: '/metrics/calls', message: 'is required' },
    ]);
  });
});

describe('pacer.kpi.snapshot.v1', () => {
  it('accepts every scope and period type with a key of that type', () => {
    const period = snapshot.period;
    expect(check({ period: { ...period, type: 'day', key: '2026-11-27' } })).toEqual([]);
    expect(check({ period: { ...period, type: 'week', key: '2026-W48' } })).toEqual([]);
    expect(check({ period: { ...period, type: 'quarter', key: 'FY2027-Q1' } })).toEqual([]);
    expect(check({ period: { ...period, type: 'year', key: 'FY2027' } })).toEqual([]);
    expect(
      check({ scope: 'team', scopeId: 'team-emea', period: { ...period, type: 'sprint', key: 'spr-48' } }),
    ).toEqual([]);
    expect(check({ scope: 'org', scopeId: 'acme' })).toEqual([]);
  });

  it('rejects a key that is not of the period type', () => {
    expect(check({ period: { ...snapshot.period, type: 'week', key: '2026-11' } })).toEqual([
      { path: '/period/key', message: 'is not a week key' },
    ]);
  });

  it('has no sprint periods for the org, and the org scope id is the tenant id', () => {
    expect(
      check({ scope: 'org', scopeId: 'acme', period: { ...snapshot.period, type: 'sprint', key: 's' } }),
    ).toEqual([{ path: '/period/type', message: 'sprint periods exist for rep and team scope only' }]);
    expect(check({ scope: 'org', scopeId: 'globex' })).toEqual([
      { path: '/scopeId', message: 'must be the tenant id for org scope' },
    ]);
  });

  it.each([
    [{ scope: 'region' }, '/scope'],
    [{ revision: 0 }, '/revision'],
    [{ revision: 1.5 }, '/revision'],
    [{ asOf: '2026-11-30' }, '/asOf'],
  ])('rejects %j', (patch, path) => {
    expect(check(patch as Partial<KpiSnapshotData>)[0].path).toBe(path);
  });
});
