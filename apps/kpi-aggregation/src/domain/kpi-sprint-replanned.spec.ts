import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('a sprint planned again with other dates', () => {
  it('moves its window (published even where no fact moved) and the facts in and out of it', async () => {
    const b = new KpiEventBuilder('replan');
    const h = new KpiHarness('replan');
    await h.feed([
      b.joined('t1', 'ann', '2026-01-01T00:00:00Z'),
      b.sprint('s1', 't1', '2026-11-16', 7),
      b.call('ann', '2026-11-17T10:00:00Z'),
      b.call('ann', '2026-11-24T10:00:00Z'),
    ]);
    expect(h.snapshot('team', 't1', 'sprint', 's1')).toMatchObject({ period: { end: '2026-11-23T00:00:00Z' }, metrics: { calls: 1 } });

    // Two weeks instead of one: the second call joins; the window changes for every key of the sprint.
    await h.feed([b.sprint('s1', 't1', '2026-11-16', 14)]);
    expect(h.snapshot('team', 't1', 'sprint', 's1')).toMatchObject({ revision: 2, period: { end: '2026-11-30T00:00:00Z' }, metrics: { calls: 2 } });
    expect(h.snapshot('rep', 'ann', 'sprint', 's1')).toMatchObject({ revision: 2, metrics: { calls: 2 } });

    // Starting a week later: the first call leaves; an empty day range would still move the window.
    await h.feed([b.sprint('s1', 't1', '2026-11-23', 7)]);
    expect(h.snapshot('team', 't1', 'sprint', 's1')).toMatchObject({
      revision: 3,
      period: { start: '2026-11-23T00:00:00Z', end: '2026-11-30T00:00:00Z' },
      metrics: { calls: 1 },
    });
    await h.feed([b.sprint('s1', 't1', '2026-11-23', 8)]);
    expect(h.snapshot('team', 't1', 'sprint', 's1')).toMatchObject({ revision: 4, period: { end: '2026-12-01T00:00:00Z' }, metrics: { calls: 1 } });
  });
});
