import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('local midnight and DST in the tenant zone', () => {
  it('splits activities one minute either side of local midnight, and keeps the 23-hour spring day whole', async () => {
    const b = new KpiEventBuilder('dst');
    const h = new KpiHarness('dst');
    await h.feed([
      b.settings('America/New_York', 1, 1),
      // 23:59 and 00:01 New York time around the night of 30 Nov / 1 Dec (UTC−5).
      b.call('ann', '2026-12-01T04:59:00Z'),
      b.call('ann', '2026-12-01T05:01:00Z'),
      // Spring forward on 8 March 2026: 00:30 (−05:00) and 23:30 (−04:00) are the same local day.
      b.call('bob', '2026-03-08T05:30:00Z'),
      b.call('bob', '2026-03-09T03:30:00Z'),
      b.call('bob', '2026-03-09T04:01:00Z'),
    ]);
    expect(h.metrics('rep', 'ann', 'day', '2026-11-30')).toMatchObject({ calls: 1 });
    expect(h.metrics('rep', 'ann', 'day', '2026-12-01')).toMatchObject({ calls: 1 });
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ calls: 1 });
    expect(h.metrics('rep', 'ann', 'month', '2026-12')).toMatchObject({ calls: 1 });
    expect(h.metrics('rep', 'ann', 'quarter', 'FY2026-Q4')).toMatchObject({ calls: 2 });

    expect(h.snapshot('rep', 'bob', 'day', '2026-03-08')).toMatchObject({
      period: { start: '2026-03-08T00:00:00-05:00', end: '2026-03-09T00:00:00-04:00' },
      metrics: { calls: 2 },
    });
    expect(h.metrics('rep', 'bob', 'day', '2026-03-09')).toMatchObject({ calls: 1 });
  });
});
