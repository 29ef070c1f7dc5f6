import { DateTime } from 'luxon';
import { buildScenario } from './scenario';
import { demoPeople } from './people';

describe('demoPeople', () => {
  const scenario = buildScenario({ tenantId: 'demo', now: DateTime.fromISO('2026-11-27T12:00:00Z'), activityCount: 10 });
  const people = demoPeople(scenario);

  it('lists an admin, each manager as a MANAGER member with their own repId, each rep and one display per team', () => {
    expect(people.filter((p) => p.roles.includes('admin'))).toHaveLength(1);
    for (const manager of people.filter((p) => p.roles.includes('manager'))) {
      expect(scenario.members).toContainEqual(expect.objectContaining({ repId: manager.repId, teamId: manager.teamId, role: 'MANAGER' }));
    }
    expect(people.filter((p) => p.roles.includes('manager')).map((p) => p.teamId).sort()).toEqual(['hunters', 'machine']);
    expect(people.filter((p) => p.roles.includes('rep'))).toHaveLength(scenario.members.filter((m) => m.role !== 'MANAGER').length);
    expect(people.filter((p) => p.roles.includes('display')).map((p) => p.teamId)).toEqual(scenario.teams.map((t) => t.teamId));
  });

  it('gives everyone a distinct, stable subject', () => {
    expect(new Set(people.map((p) => p.subject)).size).toBe(people.length);
    expect(demoPeople(scenario)).toEqual(people);
  });
});
