import { QueryClient } from '@tanstack/react-query';
import { applyLiveKpi } from './live';
import type { KpiSnapshot } from './types';

const snapshot = (key: string, revision: number, calls: number): KpiSnapshot => ({
  scope: 'rep',
  scopeId: 'h1',
  period: { type: 'week', key, start: `${key}-start`, end: `${key}-end` },
  metrics: { calls },
  revision,
  asOf: '2026-12-06T10:00:00Z',
});

describe('live KPI changes in the query cache', () => {
  const listKey = ['kpi-aggregation', 'kpis', 'rep', 'h1', 'week', '2026-10-18T00:00:00-04:00'];

  it('replaces the restated period and adds a new one, in period order', () => {
    const client = new QueryClient();
    client.setQueryData(listKey, [snapshot('2026-W47', 2, 5), snapshot('2026-W48', 1, 1)]);
    applyLiveKpi(client, { key: 'demo:rep:h1:week:2026-W48', snapshot: snapshot('2026-W48', 2, 2) });
    applyLiveKpi(client, { key: 'demo:rep:h1:week:2026-W49', snapshot: snapshot('2026-W49', 1, 1) });
    const list = client.getQueryData<KpiSnapshot[]>(listKey) ?? [];
    expect(list.map((s) => [s.period.key, s.metrics.calls])).toEqual([
      ['2026-W47', 5],
      ['2026-W48', 2],
      ['2026-W49', 1],
    ]);
  });

  it('never lets an older revision overwrite a newer one', () => {
    const client = new QueryClient();
    client.setQueryData(listKey, [snapshot('2026-W48', 5, 9)]);
    applyLiveKpi(client, { key: 'demo:rep:h1:week:2026-W48', snapshot: snapshot('2026-W48', 4, 3) });
    expect(client.getQueryData<KpiSnapshot[]>(listKey)?.[0]?.metrics.calls).toBe(9);
  });

  it('leaves other scopes and period types alone', () => {
    const client = new QueryClient();
    const monthKey = ['kpi-aggregation', 'kpis', 'rep', 'h1', 'month', ''];
    client.setQueryData(monthKey, []);
    applyLiveKpi(client, { key: 'demo:rep:h1:week:2026-W48', snapshot: snapshot('2026-W48', 1, 1) });
    expect(client.getQueryData(monthKey)).toEqual([]);
  });
});
