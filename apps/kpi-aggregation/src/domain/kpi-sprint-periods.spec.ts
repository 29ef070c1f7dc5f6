import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('sprint periods', () => {
  it("count a rep's activities in the window of its team's sprint while a member, for rep and team, in any arrival order", async () => {
    const b = new KpiEventBuilder('sprints');
    const events = [
      b.settings('Europe/Berlin', 1, 1),
      b.joined('t1', 'ann', '2026-01-01T00:00:00Z'),
      b.joined('t1', 'bob', '2026-11-25T12:00:00Z'),
      b.joined('t2', 'cyd', '2026-01-01T00:00:00Z'),
      // Mon 23 Nov – Sun 29 Nov in Berlin (UTC+1).
      b.sprint('s1', 't1', '2026-11-23', 7),
      b.call('ann', '2026-11-22T23:30:00Z'), // Monday 00:30 Berlin: in
      b.call('ann', '2026-11-22T22:30:00Z'), // Sunday 23:30 Berlin: before
      b.call('ann', '2026-11-29T22:59:00Z'), // Sunday 23:59 Berlin: last minute, in
      b.call('ann', '2026-11-29T23:00:00Z'), // next Monday: after
      b.call('bob', '2026-11-24T10:00:00Z'), // before bob joined
      b.call('bob', '2026-11-26T10:00:00Z'),
      b.call('cyd', '2026-11-26T10:00:00Z'), // another team
    ];
    for (const batch of [events.length, 1]) {
      for (const order of [events, [...events].reverse()]) {
        const h = new KpiHarness('sprints');
        await h.feed(order, batch);
        expect(h.snapshot('rep', 'ann', 'sprint', 's1')).toMatchObject({
          period: { type: 'sprint', key: 's1', start: '2026-11-23T00:00:00+01:00', end: '2026-11-30T00:00:00+01:00' },
          metrics: { calls: 2 },
        });
        expect(h.metrics('rep', 'bob', 'sprint', 's1')).toMatchObject({ calls: 1 });
        expect(h.metrics('team', 't1', 'sprint', 's1')).toMatchObject({ calls: 3 });
        expect(h.snapshot('rep', 'cyd', 'sprint', 's1')).toBeUndefined();
      }
    }
  });
});
