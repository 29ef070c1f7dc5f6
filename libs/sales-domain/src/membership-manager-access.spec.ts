import type { Role } from '@pacer/contracts';
import { managerCanSee, MembershipEvent, roleIntervalsOf, teamsManagedAt } from './membership';

const at = (iso: string) => Date.parse(iso);

// mia joins north as AE on 1 Jan and manages it from 1 Mar; ana is in north from 1 Jan to 1 May;
// ben is in south. On 1 Jun mia manages north.
describe('team membership for manager access', () => {
  let recorded = 0;
  const e = (teamId: string, repId: string, member: boolean, when: string, role?: Role): MembershipEvent => ({
    eventId: `e${(recorded += 1)}`,
    teamId,
    repId,
    member,
    atMs: at(when),
    recordedMs: recorded,
    ...(role ? { role } : {}),
  });
  const intervals = roleIntervalsOf([
    e('north', 'mia', true, '2026-01-01T00:00:00Z', 'AE'),
    e('north', 'mia', true, '2026-03-01T00:00:00Z', 'MANAGER'),
    e('north', 'ana', true, '2026-01-01T00:00:00Z', 'AE'),
    e('north', 'ana', false, '2026-05-01T00:00:00Z'),
    e('south', 'ben', true, '2026-01-01T00:00:00Z', 'AE'),
  ]);
  const now = at('2026-06-01T00:00:00Z');

  it("lets a manager see a team member's periods spent in the team, and nobody else's", () => {
    expect(teamsManagedAt(intervals, 'mia', now)).toEqual(new Set(['north']));
    const april = { fromMs: at('2026-04-01T00:00:00Z'), toMs: at('2026-07-01T00:00:00Z') };
    expect(managerCanSee(intervals, 'mia', 'ana', april, now)).toBe(true);
    const july = { fromMs: at('2026-07-01T00:00:00Z'), toMs: at('2026-10-01T00:00:00Z') };
    expect(managerCanSee(intervals, 'mia', 'ana', july, now)).toBe(false);
    expect(managerCanSee(intervals, 'mia', 'ben', { fromMs: 0, toMs: now }, now)).toBe(false);
  });

  it('counts the manager role only from when it started', () => {
    expect(teamsManagedAt(intervals, 'mia', at('2026-02-01T00:00:00Z'))).toEqual(new Set());
  });
});
