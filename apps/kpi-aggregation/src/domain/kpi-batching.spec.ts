import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('a burst of activities for one rep in one batch', () => {
  it('publishes one snapshot per affected key, and a redelivered batch publishes nothing', async () => {
    const tenant = 'burst';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    const burst = Array.from({ length: 50 }, (_, i) => b.call('ann', `2026-11-27T10:${String(i).padStart(2, '0')}:00Z`));
    const published = await h.feed([b.joined('t1', 'ann', '2026-01-01T00:00:00Z'), ...burst]);
    // rep, team and org × day, week, month, quarter, year.
    expect(published.map((p) => p.snapshot.keyId).sort()).toEqual(
      ['rep:ann', 'team:t1', `org:${tenant}`]
        .flatMap((s) => ['day:2026-11-27', 'week:2026-W48', 'month:2026-11', 'quarter:FY2026-Q4', 'year:FY2026'].map((p) => `${tenant}:${s}:${p}`))
        .sort(),
    );
    expect(h.metrics('team', 't1', 'week', '2026-W48')).toMatchObject({ calls: 50 });
    expect(await h.feed(burst)).toEqual([]);
  });
});
