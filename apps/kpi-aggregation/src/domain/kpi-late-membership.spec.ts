import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('team membership arriving after the activities', () => {
  it('moves the activities into the teams the rep belonged to at occurredAt, in each team of several', async () => {
    const b = new KpiEventBuilder('late-roster');
    const h = new KpiHarness('late-roster');
    await h.feed([
      b.call('ann', '2026-11-02T10:00:00Z'),
      b.call('ann', '2026-11-10T10:00:00Z'),
      b.call('ann', '2026-11-20T10:00:00Z'),
    ]);
    expect(h.snapshot('team', 'hunters', 'month', '2026-11')).toBeUndefined();

    // ann is in hunters from 5 to 15 November and in closers from 9 November on.
    await h.feed([
      b.joined('hunters', 'ann', '2026-11-05T00:00:00Z'),
      b.left('hunters', 'ann', '2026-11-15T00:00:00Z'),
      b.joined('closers', 'ann', '2026-11-09T00:00:00Z'),
    ]);
    expect(h.metrics('team', 'hunters', 'month', '2026-11')).toMatchObject({ calls: 1 });
    expect(h.metrics('team', 'hunters', 'day', '2026-11-10')).toMatchObject({ calls: 1 });
    expect(h.metrics('team', 'closers', 'month', '2026-11')).toMatchObject({ calls: 2 });
    expect(h.snapshot('team', 'hunters', 'day', '2026-11-02')).toBeUndefined();
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ calls: 3 });

    // A correction: ann actually left hunters on the 8th. Hunters' 10 November is emptied, not left stale.
    await h.feed([b.left('hunters', 'ann', '2026-11-08T00:00:00Z')]);
    expect(h.snapshot('team', 'hunters', 'day', '2026-11-10')).toMatchObject({ revision: 2, metrics: { calls: 0 } });
    expect(h.metrics('team', 'hunters', 'month', '2026-11')).toMatchObject({ calls: 0 });
  });
});
