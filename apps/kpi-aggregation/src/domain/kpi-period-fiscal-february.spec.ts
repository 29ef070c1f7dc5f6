import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('a fiscal year starting in February', () => {
  it('puts January in Q4 of the fiscal year named by the calendar year it ends in', async () => {
    const b = new KpiEventBuilder('fy-feb');
    const h = new KpiHarness('fy-feb');
    await h.feed([
      b.settings('UTC', 1, 2),
      b.call('ann', '2027-01-31T23:59:00Z'),
      b.call('ann', '2027-02-01T00:00:00Z'),
      b.call('ann', '2026-11-27T10:00:00Z'),
    ]);
    expect(h.snapshot('rep', 'ann', 'quarter', 'FY2027-Q4')).toMatchObject({
      period: { start: '2026-11-01T00:00:00Z', end: '2027-02-01T00:00:00Z' },
      metrics: { calls: 2 },
    });
    expect(h.snapshot('rep', 'ann', 'year', 'FY2027')).toMatchObject({
      period: { start: '2026-02-01T00:00:00Z', end: '2027-02-01T00:00:00Z' },
      metrics: { calls: 2 },
    });
    expect(h.metrics('rep', 'ann', 'quarter', 'FY2028-Q1')).toMatchObject({ calls: 1 });
    expect(h.metrics('rep', 'ann', 'year', 'FY2028')).toMatchObject({ calls: 1 });
    expect(h.metrics('rep', 'ann', 'month', '2027-01')).toMatchObject({ calls: 1 });
  });
});
