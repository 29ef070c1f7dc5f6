import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('an opportunity leaving and re-entering the forecast', () => {
  it('leaves on a win or loss, comes back when the win is cancelled or either is voided', async () => {
    const tenant = 'fco';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    const month = () => h.metrics('rep', 'ann', 'month', '2026-12')?.forecastPipeline;
    await h.feed([b.opportunity('ann', '2026-11-02T09:00:00Z', 'o1', '1000', { expectedCloseDate: '2026-12-15', probability: '0.5' })]);
    expect(month()).toBe('1000.00');

    const won = b.dealWon('ann', '2026-11-20T10:00:00Z', { dealId: 'd1', opportunityId: 'o1', amount: '1000' });
    await h.feed([won]);
    expect(month()).toBe('0.00');
    const cancel = b.dealCancelled('ann', '2026-11-25T10:00:00Z', 'd1');
    await h.feed([cancel]);
    expect(month()).toBe('1000.00');
    await h.feed([b.void(cancel)]);
    expect(month()).toBe('0.00');
    await h.feed([b.void(won)]);
    expect(month()).toBe('1000.00');

    const lost = b.dealLost('ann', '2026-11-26T10:00:00Z', 'd9', { activityId: 'lost-1' });
    // dealLost names the opportunity o-d9 by default; a loss of o1 is built explicitly.
    await h.feed([
      b.activity({ activityId: 'lost-o1', kind: 'deal_lost', repId: 'ann', occurredAt: '2026-11-26T10:00:00Z', dealId: 'd2', opportunityId: 'o1' }),
      lost,
    ]);
    expect(month()).toBe('0.00');
    await h.feed([b.void(b.activity({ activityId: 'lost-o1', kind: 'deal_lost', repId: 'ann', occurredAt: '2026-11-26T10:00:00Z', dealId: 'd2', opportunityId: 'o1' }))]);
    expect(month()).toBe('1000.00');
  });

  it('counts a stage change that arrived before its opportunity_created once the creation arrives, for the creating rep', async () => {
    const tenant = 'fco-late';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    // bob moved the stage; the opportunity stays ann's (SPEC §5: a stage change does not move it).
    await h.feed([b.stageChanged('bob', '2026-11-10T09:00:00Z', 'o1', { amount: '2500', expectedCloseDate: '2027-01-05', probability: '0.8' })]);
    expect(h.topic.size).toBe(0);
    await h.feed([b.opportunity('ann', '2026-11-02T09:00:00Z', 'o1', '1000', { expectedCloseDate: '2026-12-15', probability: '0.1' })]);
    expect(h.metrics('rep', 'ann', 'month', '2027-01')).toMatchObject({ forecastPipeline: '2500.00', forecastWeighted: '2000.00' });
    expect(h.metrics('rep', 'ann', 'month', '2026-12')?.forecastPipeline ?? '0.00').toBe('0.00');
    expect(h.snapshot('rep', 'bob', 'month', '2027-01')).toBeUndefined();
  });
});
