import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('quota and attainment', () => {
  it('uses exactly the period key of the quota; teams sum their members during the period, the org every rep', async () => {
    const tenant = 'quota';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    await h.feed([
      b.joined('hunters', 'ann', '2026-01-01T00:00:00Z'),
      b.joined('hunters', 'bob', '2026-01-01T00:00:00Z'),
      // cyd was in the team for part of November only: still counted in its November quota.
      b.joined('hunters', 'cyd', '2026-11-20T00:00:00Z'),
      b.left('hunters', 'bob', '2026-11-05T00:00:00Z'),
      b.quota('ann', '2026-11', '1000'),
      b.quota('bob', '2026-11', '500'),
      b.quota('cyd', '2026-11', '250.50'),
      b.quota('dee', '2026-11', '100'),
      b.quota('ann', 'FY2026-Q4', '3000'),
      b.dealWon('ann', '2026-11-10T12:00:00Z', { dealId: 'd1', amount: '800' }),
    ]);

    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ quota: '1000.00', quotaAttainment: 0.8 });
    expect(h.metrics('rep', 'ann', 'quarter', 'FY2026-Q4')).toMatchObject({ quota: '3000.00', quotaAttainment: 800 / 3000 });
    // A quarterly quota does not make a yearly or daily one.
    expect(h.metrics('rep', 'ann', 'year', 'FY2026')).toMatchObject({ quota: null, quotaAttainment: null });
    expect(h.metrics('rep', 'ann', 'day', '2026-11-10')).toMatchObject({ quota: null, quotaAttainment: null });
    expect(h.metrics('team', 'hunters', 'month', '2026-11')).toMatchObject({ quota: '1750.50', revenueWon: '800.00', quotaAttainment: 800 / 1750.5 });
    expect(h.metrics('org', tenant, 'month', '2026-11')).toMatchObject({ quota: '1850.50' });
    // A rep with a quota and no activity still has a snapshot.
    expect(h.metrics('rep', 'dee', 'month', '2026-11')).toMatchObject({ quota: '100.00', revenueWon: '0.00', quotaAttainment: 0 });
  });

  it('takes the newest quota_set for a key whatever order they arrive in; a zero quota has no attainment', async () => {
    const b = new KpiEventBuilder('quota-latest');
    const older = b.quota('ann', '2026-11', '1000');
    const newer = b.quota('ann', '2026-11', '0');
    const deal = b.dealWon('ann', '2026-11-10T12:00:00Z', { dealId: 'd1', amount: '800' });
    for (const order of [[older, newer, deal], [deal, newer, older]]) {
      const h = new KpiHarness('quota-latest');
      await h.feed(order, 1);
      expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ quota: '0.00', quotaAttainment: null });
    }
  });
});
