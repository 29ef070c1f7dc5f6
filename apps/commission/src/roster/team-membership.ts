import type { Role } from '@pacer/contracts';

/** One roster fact about a membership, in the order it was recorded (`seq`). */
export interface MembershipEvent {
  teamId: string;
  repId: string;
  kind: 'joined' | 'role_changed' | 'left';
  role?: Role;
  atMs: number;
  seq: number;
}

/** A rep's membership of a team with one role over `[fromMs, toMs)`. */
export interface MembershipInterval {
  teamId: string;
  repId: string;
  role: Role;
  fromMs: number;
  toMs: number | null;
}

/**
 * Folds membership events into dated intervals per team and rep: a join or role change opens an
 * interval (closing the open one at its time), a leave closes it. Events are taken in effective-time
 * order, recording order breaking ties, so a backdated role change lands where it belongs.
 */
export function membershipIntervals(events: readonly MembershipEvent[]): MembershipInterval[] {
  const byMember = new Map<string, MembershipEvent[]>();
  for (const e of events) {
    const key = JSON.stringify([e.teamId, e.repId]);
    byMember.set(key, [...(byMember.get(key) ?? []), e]);
  }
  const out: MembershipInterval[] = [];
  for (const list of byMember.values()) {
    list.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    let open: MembershipInterval | undefined;
    for (const e of list) {
      if (open !== undefined) {
        open.toMs = e.atMs;
        out.push(open);
        open = undefined;
      }
      if (e.kind !== 'left' && e.role !== undefined) {
        open = { teamId: e.teamId, repId: e.repId, role: e.role, fromMs: e.atMs, toMs: null };
      }
    }
    if (open !== undefined) out.push(open);
  }
  return out.filter((i) => i.toMs === null || i.toMs > i.fromMs);
}

function covers(interval: MembershipInterval, fromMs: number, toMs: number): boolean {
  return interval.fromMs < toMs && (interval.toMs === null || interval.toMs > fromMs);
}

/** The teams `managerId` manages (role MANAGER) at `nowMs`. */
export function teamsManagedAt(
  intervals: readonly MembershipInterval[],
  managerId: string,
  nowMs: number,
): Set<string> {
  return new Set(
    intervals
      .filter((i) => i.repId === managerId && i.role === 'MANAGER' && covers(i, nowMs, nowMs + 1))
      .map((i) => i.teamId),
  );
}

/**
 * Whether a manager may read a rep's figures for `[fromMs, toMs)`: the manager manages a team now, and
 * the rep was a member of that team at some time in the range (so a rep who since moved on stays
 * visible for the periods they spent in the team).
 */
export function managerCanSee(
  intervals: readonly MembershipInterval[],
  managerId: string,
  repId: string,
  range: { fromMs: number; toMs: number },
  nowMs: number,
): boolean {
  if (managerId === repId) return true;
  const teams = teamsManagedAt(intervals, managerId, nowMs);
  return intervals.some(
    (i) => i.repId === repId && teams.has(i.teamId) && covers(i, range.fromMs, range.toMs),
  );
}
