import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('activity counts per rep, team and org', () => {
  const tenant = 'counts';
  const b = new KpiEventBuilder(tenant);
  const at = '2026-11-27T10:00:00Z';

  it('counts every activity kind in its rep, team and org snapshots for every calendar period', async () => {
    const h = new KpiHarness(tenant);
    await h.feed([
      b.joined('team-a', 'ann', '2026-01-01T00:00:00Z'),
      b.call('ann', at, 'connected'),
      b.call('ann', at, 'voicemail'),
      b.call('ann', at, 'no_answer'),
      b.call('bob', at, 'connected'),
      b.email('ann', at),
      b.email('ann', at),
      b.meetingScheduled('ann', at),
      b.meetingHeld('ann', at),
      b.lead('ann', at),
      b.opportunity('ann', at, 'opp-1', '1250.50'),
      b.opportunity('ann', at, 'opp-2', '0.5'),
      b.stageChanged('ann', at, 'opp-1'),
    ]);

    const ann = h.metrics('rep', 'ann', 'day', '2026-11-27');
    expect(ann).toMatchObject({
      calls: 3,
      connects: 1,
      connectRate: 1 / 3,
      emails: 2,
      meetingsScheduled: 1,
      meetingsHeld: 1,
      leadsCreated: 1,
      opportunitiesCreated: 2,
      pipelineCreated: '1251.00',
      callsPerMeeting: 3,
      dealsWon: 0,
      revenueWon: '0.00',
    });
    for (const [type, key] of [
      ['week', '2026-W48'],
      ['month', '2026-11'],
      ['quarter', 'FY2026-Q4'],
      ['year', 'FY2026'],
    ] as const) {
      expect(h.metrics('rep', 'ann', type, key)).toEqual(ann);
      expect(h.metrics('team', 'team-a', type, key)).toEqual(ann);
      expect(h.metrics('org', tenant, type, key)).toMatchObject({ calls: 4, connects: 2, connectRate: 0.5 });
    }
    expect(h.metrics('rep', 'bob', 'day', '2026-11-27')).toMatchObject({ calls: 1, connects: 1, callsPerMeeting: null });
    expect(h.snapshot('team', 'team-a', 'day', '2026-11-27')).toMatchObject({
      scope: 'team',
      scopeId: 'team-a',
      period: { type: 'day', key: '2026-11-27', start: '2026-11-27T00:00:00Z', end: '2026-11-28T00:00:00Z' },
      revision: 1,
    });
  });
});
