import type { MembershipInterval } from '../roster/team-membership';
import { statementApprovers } from './statement-approver';

const ms = (iso: string): number => Date.parse(iso);
const Q1_END = ms('2026-04-01T00:00:00Z');

function member(
  repId: string,
  role: MembershipInterval['role'],
  from: string,
  to: string | null,
  teamId = 'east',
): MembershipInterval {
  return { teamId, repId, role, fromMs: ms(from), toMs: to === null ? null : ms(to) };
}

describe('approval by a manager who left the team before the period ended', () => {
  const roster = [
    member('ana', 'AE', '2025-06-01T00:00:00Z', null),
    // Maria managed east until mid-March, then moved to the west team; Tom took east over.
    member('maria', 'MANAGER', '2025-01-01T00:00:00Z', '2026-03-15T00:00:00Z'),
    member('maria', 'MANAGER', '2026-03-15T00:00:00Z', null, 'west'),
    member('tom', 'MANAGER', '2026-03-15T00:00:00Z', null),
  ];

  it('is not hers to give: the manager of the rep’s team at the period’s end approves', () => {
    const approvers = statementApprovers(roster, 'ana', Q1_END);
    expect(approvers.has('maria')).toBe(false);
    expect([...approvers]).toEqual(['tom']);
  });

  it('follows the rep: after a move the new team’s manager at period end approves, not the old one', () => {
    const moved = [
      member('ana', 'AE', '2025-06-01T00:00:00Z', '2026-02-01T00:00:00Z'),
      member('ana', 'AE', '2026-02-01T00:00:00Z', null, 'west'),
      member('tom', 'MANAGER', '2025-01-01T00:00:00Z', null),
      member('wendy', 'MANAGER', '2025-01-01T00:00:00Z', null, 'west'),
    ];
    expect([...statementApprovers(moved, 'ana', Q1_END)]).toEqual(['wendy']);
  });

  it('never lets a manager approve their own statement', () => {
    const self = [member('tom', 'MANAGER', '2025-01-01T00:00:00Z', null)];
    expect(statementApprovers(self, 'tom', Q1_END).size).toBe(0);
  });

  it('counts a manager who leaves at the very end of the period (the last instant is still theirs)', () => {
    const edge = [
      member('ana', 'AE', '2025-06-01T00:00:00Z', null),
      member('maria', 'MANAGER', '2025-01-01T00:00:00Z', '2026-04-01T00:00:00Z'),
    ];
    expect([...statementApprovers(edge, 'ana', Q1_END)]).toEqual(['maria']);
  });
});
