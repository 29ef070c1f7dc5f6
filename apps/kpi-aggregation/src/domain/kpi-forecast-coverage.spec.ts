import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('forecastCoverage', () => {
  it('is (revenueWon + forecastWeighted) / quota, null without a quota for exactly that period', async () => {
    const tenant = 'fcc';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    await h.feed([
      b.quota('ann', '2026-12', '100000'),
      b.dealWon('ann', '2026-12-03T10:00:00Z', { dealId: 'd1', amount: '40000' }),
      b.opportunity('ann', '2026-11-02T09:00:00Z', 'o1', '50000', { expectedCloseDate: '2026-12-20', probability: '0.6' }),
      b.opportunity('ann', '2026-11-02T10:00:00Z', 'o2', '10000', { expectedCloseDate: '2026-12-21' }),
    ]);
    // (40,000 + 30,000) / 100,000
    expect(h.metrics('rep', 'ann', 'month', '2026-12')).toMatchObject({
      quota: '100000.00',
      quotaAttainment: 0.4,
      forecastPipeline: '60000.00',
      forecastWeighted: '30000.00',
      forecastCoverage: 0.7,
    });
    // A quarterly key has no quota of its own: no coverage.
    expect(h.metrics('rep', 'ann', 'quarter', 'FY2026-Q4')).toMatchObject({ forecastWeighted: '30000.00', forecastCoverage: null });

    // Winning o1 moves it out of the forecast and into revenue (its win in December): (90,000 + 0) / 100,000
    await h.feed([b.dealWon('ann', '2026-12-18T10:00:00Z', { dealId: 'd2', opportunityId: 'o1', amount: '50000' })]);
    expect(h.metrics('rep', 'ann', 'month', '2026-12')).toMatchObject({ revenueWon: '90000.00', forecastWeighted: '0.00', forecastCoverage: 0.9 });
  });
});
