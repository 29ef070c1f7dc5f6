import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('average sales cycle', () => {
  it("uses the deal's openedAt or else its opportunity's creation, in fractional days, whatever arrives first", async () => {
    const b = new KpiEventBuilder('cycle');
    const won1 = b.dealWon('ann', '2026-11-10T12:00:00Z', { dealId: 'd1', amount: '10', openedAt: '2026-11-01T00:00:00Z' });
    // No openedAt: the opportunity arrives only after the deal.
    const won2 = b.dealWon('ann', '2026-11-20T18:00:00Z', { dealId: 'd2', opportunityId: 'o2', amount: '10' });
    const opp2 = b.opportunity('ann', '2026-11-18T06:00:00Z', 'o2', '10');
    // Neither openedAt nor a known opportunity: counted as won, not in the cycle.
    const won3 = b.dealWon('ann', '2026-11-21T00:00:00Z', { dealId: 'd3', amount: '10' });

    const h = new KpiHarness('cycle');
    await h.feed([won1, won2, won3], 1);
    // (9.5 + unknown) → only d1 so far.
    expect(h.metrics('rep', 'ann', 'month', '2026-11')?.avgSalesCycleDays).toBe(9.5);
    await h.feed([opp2]);
    // d1: 9.5 days, d2: 2.5 days → 6.
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ dealsWon: 3, avgSalesCycleDays: 6 });
    expect(h.metrics('rep', 'ann', 'day', '2026-11-20')?.avgSalesCycleDays).toBe(2.5);
    expect(h.metrics('rep', 'ann', 'day', '2026-11-21')?.avgSalesCycleDays).toBeNull();

    // Voiding the opportunity takes d2's opening away again.
    await h.feed([b.void(opp2)]);
    expect(h.metrics('rep', 'ann', 'month', '2026-11')?.avgSalesCycleDays).toBe(9.5);
  });

  it('keeps a cycle of a third of a day unrounded', async () => {
    const b = new KpiEventBuilder('cycle-third');
    const h = new KpiHarness('cycle-third');
    await h.feed([b.dealWon('ann', '2026-11-10T08:00:00Z', { dealId: 'd1', amount: '10', openedAt: '2026-11-10T00:00:00Z' })]);
    expect(h.metrics('rep', 'ann', 'day', '2026-11-10')?.avgSalesCycleDays).toBe(1 / 3);
  });
});
