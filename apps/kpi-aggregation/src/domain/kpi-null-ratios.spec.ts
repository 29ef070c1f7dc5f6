import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('ratios with a zero denominator', () => {
  it('are null, while counts and money are zero', async () => {
    const b = new KpiEventBuilder('nulls');
    const h = new KpiHarness('nulls');
    await h.feed([b.email('ann', '2026-11-27T10:00:00Z')]);

    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toEqual({
      calls: 0,
      connects: 0,
      connectRate: null,
      emails: 1,
      meetingsScheduled: 0,
      meetingsHeld: 0,
      leadsCreated: 0,
      opportunitiesCreated: 0,
      pipelineCreated: '0.00',
      dealsWon: 0,
      dealsLost: 0,
      revenueWon: '0.00',
      winRate: null,
      avgDealSize: null,
      avgSalesCycleDays: null,
      quota: null,
      quotaAttainment: null,
      callsPerMeeting: null,
      revenuePerActivity: '0.00',
      forecastPipeline: '0.00',
      forecastWeighted: '0.00',
      forecastCoverage: null,
    });
  });
});
