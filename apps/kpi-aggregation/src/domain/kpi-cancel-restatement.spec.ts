import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('a cancelled deal', () => {
  it('is removed from the period of the win, not of the cancellation, and the split reps lose their credits', async () => {
    const tenant = 'cancel';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    await h.feed([
      b.joined('t1', 'ann', '2026-01-01T00:00:00Z'),
      b.dealWon('ann', '2026-11-27T11:00:00Z', {
        dealId: 'd1',
        amount: '900',
        credits: [
          { repId: 'ann', share: '0.5' },
          { repId: 'bob', share: '0.5' },
        ],
      }),
      b.dealWon('ann', '2026-11-28T11:00:00Z', { dealId: 'd2', amount: '100' }),
    ]);
    expect(h.snapshot('rep', 'ann', 'month', '2026-11')).toMatchObject({ revision: 1, metrics: { dealsWon: 2, revenueWon: '550.00' } });

    // Cancelled in January: November is restated; January has nothing to show for it.
    await h.feed([b.dealCancelled('ann', '2027-01-15T09:00:00Z', 'd1')]);
    expect(h.snapshot('rep', 'ann', 'month', '2026-11')).toMatchObject({ revision: 2, metrics: { dealsWon: 1, revenueWon: '100.00', avgDealSize: '100.00' } });
    expect(h.metrics('rep', 'bob', 'month', '2026-11')).toMatchObject({ revenueWon: '0.00' });
    expect(h.metrics('team', 't1', 'month', '2026-11')).toMatchObject({ dealsWon: 1, revenueWon: '100.00' });
    expect(h.metrics('org', tenant, 'month', '2026-11')).toMatchObject({ dealsWon: 1, revenueWon: '100.00' });
    expect(h.snapshot('rep', 'ann', 'month', '2027-01')).toBeUndefined();
  });

  it('never counts when the cancellation arrives before the win', async () => {
    const b = new KpiEventBuilder('cancel-first');
    const h = new KpiHarness('cancel-first');
    await h.feed([b.dealCancelled('ann', '2026-12-01T09:00:00Z', 'd1')]);
    await h.feed([b.dealWon('ann', '2026-11-27T11:00:00Z', { dealId: 'd1', amount: '900' })]);
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ dealsWon: 0, revenueWon: '0.00' });
  });
});
