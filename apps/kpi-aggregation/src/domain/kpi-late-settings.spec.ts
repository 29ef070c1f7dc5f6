import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('tenant settings arriving after the activities', () => {
  it('restate the tenant in the new calendar: days move with the zone, emptied keys are published empty', async () => {
    const tenant = 'late-settings';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    // 03:00 UTC on the 28th is still the 27th in New York.
    await h.feed([b.call('ann', '2026-11-28T03:00:00Z'), b.quota('ann', 'FY2027-Q1', '100')]);
    expect(h.metrics('rep', 'ann', 'day', '2026-11-28')).toMatchObject({ calls: 1 });
    expect(h.metrics('rep', 'ann', 'quarter', 'FY2026-Q4')).toMatchObject({ calls: 1 });

    await h.feed([b.settings('America/New_York', 7, 11)]);
    expect(h.snapshot('rep', 'ann', 'day', '2026-11-27')).toMatchObject({
      period: { start: '2026-11-27T00:00:00-05:00', end: '2026-11-28T00:00:00-05:00' },
      metrics: { calls: 1 },
    });
    expect(h.snapshot('rep', 'ann', 'day', '2026-11-28')).toMatchObject({ revision: 2, metrics: { calls: 0 } });
    // Fiscal year from November: the call is in FY2027-Q1, which now also has the quota.
    expect(h.metrics('rep', 'ann', 'quarter', 'FY2027-Q1')).toMatchObject({ calls: 1, quota: '100.00' });
    expect(h.metrics('rep', 'ann', 'quarter', 'FY2026-Q4')).toMatchObject({ calls: 0 });
    // Sunday weeks: Friday 27 November is in 2026-W47.
    expect(h.metrics('rep', 'ann', 'week', '2026-W47')).toMatchObject({ calls: 1 });
  });
});
