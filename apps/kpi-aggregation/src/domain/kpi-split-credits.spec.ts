import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('a won deal split among reps', () => {
  it('credits each rep its rounded share, the last the remainder; the team sums its members, the org the full amount', async () => {
    const b = new KpiEventBuilder('split');
    const h = new KpiHarness('split');
    const at = '2026-11-10T15:00:00Z';
    await h.feed([
      b.joined('hunters', 'ann', '2026-01-01T00:00:00Z'),
      b.joined('hunters', 'bob', '2026-01-01T00:00:00Z'),
      b.joined('farmers', 'cyd', '2026-01-01T00:00:00Z'),
      // 100.00 in thirds: 33.33 + 33.33 + 33.34 (the last credit takes the remainder).
      b.dealWon('ann', at, {
        dealId: 'd1',
        amount: '100.00',
        credits: [
          { repId: 'ann', share: '0.3333333333' },
          { repId: 'bob', share: '0.3333333333' },
          { repId: 'cyd', share: '0.3333333334' },
        ],
      }),
      // The primary rep may credit others only: dee wins the deal, ann and cyd get the revenue.
      b.dealWon('dee', at, { dealId: 'd2', amount: '10.05', credits: [{ repId: 'ann', share: '0.5' }, { repId: 'cyd', share: '0.5' }] }),
    ]);

    // d2: 10.05 × 0.5 = 5.025 → 5.03 for ann, the remainder 5.02 for cyd.
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ revenueWon: '38.36', dealsWon: 1, avgDealSize: '38.36' });
    expect(h.metrics('rep', 'bob', 'month', '2026-11')).toMatchObject({ revenueWon: '33.33', dealsWon: 0, avgDealSize: null });
    expect(h.metrics('rep', 'cyd', 'month', '2026-11')).toMatchObject({ revenueWon: '38.36', dealsWon: 0 });
    expect(h.metrics('rep', 'dee', 'month', '2026-11')).toMatchObject({ revenueWon: '0.00', dealsWon: 1, winRate: 1 });
    expect(h.metrics('team', 'hunters', 'month', '2026-11')).toMatchObject({ revenueWon: '71.69', dealsWon: 1 });
    expect(h.metrics('team', 'farmers', 'month', '2026-11')).toMatchObject({ revenueWon: '38.36', dealsWon: 0 });
    expect(h.metrics('org', 'split', 'month', '2026-11')).toMatchObject({ revenueWon: '110.05', dealsWon: 2, avgDealSize: '55.03' });
  });
});
