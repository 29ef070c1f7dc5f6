import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('revenuePerActivity', () => {
  it('is revenueWon over calls + emails + meetings held, rounded half-up to cents, for rep, team and org', async () => {
    const tenant = 'rpa';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    await h.feed([
      b.joined('t1', 'ann', '2026-01-01T00:00:00Z'),
      b.call('ann', '2026-11-02T09:00:00Z'),
      b.call('ann', '2026-11-02T10:00:00Z', 'no_answer'),
      b.call('ann', '2026-11-03T10:00:00Z', 'voicemail'),
      b.email('ann', '2026-11-03T11:00:00Z'),
      b.email('ann', '2026-11-04T11:00:00Z'),
      b.meetingHeld('ann', '2026-11-05T11:00:00Z'),
      // Booked meetings and leads are not activities of this ratio.
      b.meetingScheduled('ann', '2026-11-05T12:00:00Z'),
      b.lead('ann', '2026-11-05T13:00:00Z'),
      b.dealWon('ann', '2026-11-20T15:00:00Z', { dealId: 'd1', amount: '1000' }),
      // bob has revenue but no activity: no ratio.
      b.dealWon('bob', '2026-11-21T15:00:00Z', { dealId: 'd2', amount: '500' }),
    ]);

    // 1,000.00 / (3 calls + 2 emails + 1 meeting held) = 166.666… → 166.67
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ revenueWon: '1000.00', revenuePerActivity: '166.67' });
    expect(h.metrics('team', 't1', 'month', '2026-11')).toMatchObject({ revenuePerActivity: '166.67' });
    // org: 1,500.00 / 6 = 250.00
    expect(h.metrics('org', tenant, 'month', '2026-11')).toMatchObject({ revenueWon: '1500.00', revenuePerActivity: '250.00' });
    expect(h.metrics('rep', 'bob', 'month', '2026-11')).toMatchObject({ revenueWon: '500.00', revenuePerActivity: null });
    // The day of the win had no activity of ann's: null there too.
    expect(h.metrics('rep', 'ann', 'day', '2026-11-20')).toMatchObject({ revenuePerActivity: null });

    // A voided email raises the ratio: 1,000.00 / 5 = 200.00
    await h.feed([b.void(b.email('ann', '2026-11-04T12:00:00Z', { activityId: 'email-x' })), b.email('ann', '2026-11-04T12:00:00Z', { activityId: 'email-x' })]);
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ emails: 2, revenuePerActivity: '166.67' });
  });
});
