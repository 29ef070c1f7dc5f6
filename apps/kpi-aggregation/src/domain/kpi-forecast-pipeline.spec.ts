import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('forecastPipeline', () => {
  it('sums the current amount of open opportunities by their current expected close date, and moves with them', async () => {
    const tenant = 'fcp';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    await h.feed([
      b.joined('t1', 'ann', '2026-01-01T00:00:00Z'),
      b.opportunity('ann', '2026-11-02T09:00:00Z', 'o1', '10000', { expectedCloseDate: '2026-12-15', probability: '0.3' }),
      b.opportunity('ann', '2026-11-03T09:00:00Z', 'o2', '5000', { expectedCloseDate: '2026-12-20' }),
      // No close date: in no period's forecast (still pipeline created).
      b.opportunity('ann', '2026-11-04T09:00:00Z', 'o3', '700'),
    ]);
    expect(h.metrics('rep', 'ann', 'month', '2026-12')).toMatchObject({ forecastPipeline: '15000.00', opportunitiesCreated: 0 });
    expect(h.metrics('rep', 'ann', 'day', '2026-12-15')).toMatchObject({ forecastPipeline: '10000.00' });
    expect(h.metrics('team', 't1', 'quarter', 'FY2026-Q4')).toMatchObject({ forecastPipeline: '15000.00' });
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ pipelineCreated: '15700.00', forecastPipeline: '0.00' });
    const december = h.snapshot('rep', 'ann', 'month', '2026-12')?.revision ?? 0;

    // o1 grows and slips into January: December loses it (new revision), January gains it.
    await h.feed([b.stageChanged('ann', '2026-11-20T09:00:00Z', 'o1', { amount: '12000', expectedCloseDate: '2027-01-10' })]);
    expect(h.snapshot('rep', 'ann', 'month', '2026-12')).toMatchObject({ revision: december + 1, metrics: { forecastPipeline: '5000.00' } });
    expect(h.metrics('rep', 'ann', 'month', '2027-01')).toMatchObject({ forecastPipeline: '12000.00' });
    expect(h.metrics('org', tenant, 'year', 'FY2027')).toMatchObject({ forecastPipeline: '12000.00' });
    // pipelineCreated keeps the created amount.
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ pipelineCreated: '15700.00' });

    // An older stage change (by occurredAt) does not override the newer date, whenever it arrives.
    await h.feed([b.stageChanged('ann', '2026-11-10T09:00:00Z', 'o1', { expectedCloseDate: '2026-12-31', amount: '1' })]);
    expect(h.metrics('rep', 'ann', 'month', '2027-01')).toMatchObject({ forecastPipeline: '12000.00' });
    expect(h.metrics('rep', 'ann', 'month', '2026-12')).toMatchObject({ forecastPipeline: '5000.00' });
  });
});
