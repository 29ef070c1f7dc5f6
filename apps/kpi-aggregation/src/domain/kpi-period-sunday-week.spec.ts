import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('weeks starting on Sunday', () => {
  it('start on Sunday in the tenant zone and are numbered in the tenant week', async () => {
    const b = new KpiEventBuilder('sunday');
    const h = new KpiHarness('sunday');
    await h.feed([
      b.settings('Europe/Berlin', 7, 1),
      // Saturday 28 Nov 23:30 Berlin and Sunday 29 Nov 00:30 Berlin.
      b.call('ann', '2026-11-28T22:30:00Z'),
      b.call('ann', '2026-11-28T23:30:00Z'),
    ]);
    expect(h.snapshot('rep', 'ann', 'week', '2026-W47')).toMatchObject({
      period: { start: '2026-11-22T00:00:00+01:00', end: '2026-11-29T00:00:00+01:00' },
      metrics: { calls: 1 },
    });
    expect(h.snapshot('rep', 'ann', 'week', '2026-W48')).toMatchObject({
      period: { start: '2026-11-29T00:00:00+01:00', end: '2026-12-06T00:00:00+01:00' },
      metrics: { calls: 1 },
    });
  });
});
