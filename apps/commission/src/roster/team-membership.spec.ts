import { managerCanSee, MembershipEvent, membershipIntervals, teamsManagedAt } from './team-membership';

const at = (iso: string) => Date.parse(iso);

describe('team membership for manager access', () => {
  let seq = 0;
  const e = (
    teamId: string,
    repId: string,
    kind: MembershipEvent['kind'],
    when: string,
    role?: MembershipEvent['role'],
  ): MembershipEvent => ({
    teamId,
    repId,
    kind,
    atMs: at(when),
    seq: (seq += 1),
    ...(role ? { role } : {}),
  });
  const intervals = membershipIntervals([
    e('north', 'mia', 'joined', '2026-01-01T00:00:00Z', 'AE'),
    e('north', 'mia', 'role_changed', '2026-03-01T00:00:00Z', 'MANAGER'),
    e('north', 'ana', 'joined', '2026-01-01T00:00:00Z', 'AE'),
    e('north', 'ana', 'left', '2026-05-01T00:00:00Z'),
    e('south', 'ben', 'joined', '2026-01-01T00:00:00Z', 'AE'),
  ]);
  const now = at('2026-06-01T00:00:00Z');

  it("lets a manager see a team member's periods spent in the team, and nobody else's", () => {
    expect(teamsManagedAt(intervals, 'mia', now)).toEqual(new Set(['north']));
    expect(
      managerCanSee(
        intervals,
        'mia',
        'ana',
        { fromMs: at('2026-04-01T00:00:00Z'), toMs: at('2026-07-01T00:00:00Z') },
        now,
      ),
    ).toBe(true);
    expect(
      managerCanSee(
        intervals,
        'mia',
        'ana',
        { fromMs: at('2026-07-01T00:00:00Z'), toMs: at('2026-10-01T00:00:00Z') },
        now,
      ),
    ).toBe(false);
    expect(managerCanSee(intervals, 'mia', 'ben', { fromMs: 0, toMs: now }, now)).toBe(false);
  });

  it('counts the manager role only from when it started', () => {
    expect(teamsManagedAt(intervals, 'mia', at('2026-02-01T00:00:00Z'))).toEqual(new Set());
  });
});
