import type { MembershipInterval } from '../roster/team-membership';

function covers(i: MembershipInterval, atMs: number): boolean {
  return i.fromMs <= atMs && (i.toMs === null || i.toMs > atMs);
}

/**
 * The managers who may approve a rep's statement (SPEC §6): the MANAGER members, at the last instant
 * of the period, of the teams the rep was a member of at that instant. A manager who left the team
 * (or stopped managing it) before the period ended is not one; nobody approves their own statement.
 */
export function statementApprovers(
  intervals: readonly MembershipInterval[],
  repId: string,
  periodEndMs: number,
): Set<string> {
  const at = periodEndMs - 1;
  const teams = new Set(intervals.filter((i) => i.repId === repId && covers(i, at)).map((i) => i.teamId));
  return new Set(
    intervals
      .filter((i) => teams.has(i.teamId) && i.role === 'MANAGER' && i.repId !== repId && covers(i, at))
      .map((i) => i.repId),
  );
}
