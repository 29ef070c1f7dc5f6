import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('won and lost deals', () => {
  it('give dealsWon, dealsLost, revenueWon, winRate and avgDealSize rounded half-up to cents', async () => {
    const b = new KpiEventBuilder('deals');
    const h = new KpiHarness('deals');
    await h.feed([
      b.dealWon('ann', '2026-11-02T10:00:00Z', { dealId: 'd1', amount: '100.00' }),
      b.dealWon('ann', '2026-11-03T10:00:00Z', { dealId: 'd2', amount: '50.01' }),
      b.dealWon('ann', '2026-11-04T10:00:00Z', { dealId: 'd3', amount: '0.01' }),
      b.dealLost('ann', '2026-11-05T10:00:00Z', 'd4'),
    ]);

    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({
      dealsWon: 3,
      dealsLost: 1,
      revenueWon: '150.02',
      winRate: 0.75,
      // 150.02 / 3 = 50.00666… → 50.01
      avgDealSize: '50.01',
    });
    expect(h.metrics('rep', 'ann', 'day', '2026-11-05')).toMatchObject({ dealsWon: 0, dealsLost: 1, winRate: 0, avgDealSize: null });
    expect(h.metrics('org', 'deals', 'year', 'FY2026')).toMatchObject({ dealsWon: 3, revenueWon: '150.02' });
  });
});
