import { EVENT_EXAMPLES, exampleEvent } from './event-examples';
import { eventKey, EVENT_TYPES } from './event-registry';
import {
  activityKey,
  commissionKey,
  kpiKey,
  planKey,
  planRepKey,
  rosterSettingsKey,
  rosterTeamKey,
  sprintKey,
} from './message-keys';

describe('key builders (SPEC §2)', () => {
  it('spell the keys of each topic', () => {
    expect(activityKey('acme', 'rep-ana')).toBe('acme:rep-ana');
    expect(rosterTeamKey('acme', 'team-emea')).toBe('acme:team-emea');
    expect(rosterSettingsKey('acme')).toBe('acme:settings');
    expect(sprintKey('acme', 'spr-48')).toBe('acme:spr-48');
    expect(planRepKey('acme', 'rep-ana')).toBe('acme:rep-ana');
    expect(planKey('acme', 'plan-ae')).toBe('acme:plan:plan-ae');
    expect(commissionKey('acme', 'rep-ana')).toBe('acme:rep-ana');
    expect(kpiKey('acme', 'team', 'team-emea', 'week', '2026-W48')).toBe('acme:team:team-emea:week:2026-W48');
  });

  it('escape ":" and "%" inside ids so different keys never collide', () => {
    expect(activityKey('a:b', 'c')).toBe('a%3Ab:c');
    expect(activityKey('a', 'b:c')).toBe('a:b%3Ac');
    expect(activityKey('a:b', 'c')).not.toBe(activityKey('a', 'b:c'));
    expect(planKey('t', 'p%3A')).toBe('t:plan:p%253A');
    expect(planRepKey('t', 'plan:p')).not.toBe(planKey('t', 'p'));
    // Sprint ids are period keys: without escaping these two snapshots would share a compacted key.
    expect(kpiKey('t', 'rep', 'r:sprint', 'sprint', 's')).not.toBe(
      kpiKey('t', 'rep', 'r', 'sprint', 'sprint:s'),
    );
  });
});

describe('eventKey', () => {
  const expected: Record<string, string> = {
    'pacer.roster.settings_updated.v1': 'acme:settings',
    'pacer.roster.team_created.v1': 'acme:team-emea',
    'pacer.roster.member_joined.v1': 'acme:team-emea',
    'pacer.sprint.planned.v1': 'acme:spr-48',
    'pacer.sprint.items_carried_over.v1': 'acme:spr-49',
    'pacer.plan.version_created.v1': 'acme:plan:plan-ae',
    'pacer.plan.assigned.v1': 'acme:rep-ana',
    'pacer.plan.quota_set.v1': 'acme:rep-ana',
    'pacer.commission.clawed_back.v1': 'acme:rep-ana',
    'pacer.kpi.snapshot.v1': 'acme:rep:rep-ana:month:2026-11',
  };

  it.each(Object.entries(expected))('keys %s as %s', (type, key) => {
    const event = EVENT_TYPES.find((t) => t === type);
    if (event === undefined) throw new Error(`unknown ${type}`);
    expect(eventKey(exampleEvent(event))).toBe(key);
  });

  it('keys every activity, void included, by tenant and rep so a rep keeps one order', () => {
    for (const type of EVENT_TYPES.filter((t) => t.startsWith('pacer.activity.'))) {
      expect(eventKey(exampleEvent(type))).toBe(`acme:${(EVENT_EXAMPLES[type] as { repId: string }).repId}`);
    }
  });
});
