import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('forecastWeighted', () => {
  it('sums amount × probability exactly and rounds half-up to cents once per scope; no probability counts 0', async () => {
    const tenant = 'fcw';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    await h.feed([
      b.joined('t1', 'ann', '2026-01-01T00:00:00Z'),
      b.joined('t1', 'bob', '2026-01-01T00:00:00Z'),
      // 0.01 × 0.5 = 0.005 each: rounded per opportunity they would make 0.02, once per scope 0.01.
      b.opportunity('ann', '2026-11-02T09:00:00Z', 'o1', '0.01', { expectedCloseDate: '2026-12-01', probability: '0.5' }),
      b.opportunity('ann', '2026-11-02T10:00:00Z', 'o2', '0.01', { expectedCloseDate: '2026-12-02', probability: '0.5' }),
      // 100.00 × 0.333333 = 33.3333 → 33.33
      b.opportunity('bob', '2026-11-02T11:00:00Z', 'o3', '100', { expectedCloseDate: '2026-12-03', probability: '0.333333' }),
      // Without probability: in forecastPipeline, 0 in forecastWeighted.
      b.opportunity('bob', '2026-11-02T12:00:00Z', 'o4', '999', { expectedCloseDate: '2026-12-04' }),
    ]);
    expect(h.metrics('rep', 'ann', 'month', '2026-12')).toMatchObject({ forecastPipeline: '0.02', forecastWeighted: '0.01' });
    expect(h.metrics('rep', 'ann', 'day', '2026-12-01')).toMatchObject({ forecastWeighted: '0.01' });
    expect(h.metrics('rep', 'bob', 'month', '2026-12')).toMatchObject({ forecastPipeline: '1099.00', forecastWeighted: '33.33' });
    // team: 0.005 + 0.005 + 33.3333 = 33.3433 → 33.34 (not 0.01 + 33.33)
    expect(h.metrics('team', 't1', 'month', '2026-12')).toMatchObject({ forecastPipeline: '1099.02', forecastWeighted: '33.34' });

    // A later probability replaces the earlier one: o4 at 0.25 adds 249.75.
    await h.feed([b.stageChanged('bob', '2026-11-20T12:00:00Z', 'o4', { probability: '0.25' })]);
    expect(h.metrics('org', tenant, 'month', '2026-12')).toMatchObject({ forecastWeighted: '283.09' });
  });
});
