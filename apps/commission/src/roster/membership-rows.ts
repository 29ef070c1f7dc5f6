import type { Role } from '@pacer/contracts';
import { MembershipEvent, MembershipInterval, membershipIntervals } from './team-membership';

/** A row of team_membership_events as `SELECT team_id, rep_id, kind, role, at, seq` reads it. */
export interface MembershipEventRow {
  team_id: string;
  rep_id: string;
  kind: MembershipEvent['kind'];
  role: Role | null;
  at: Date;
  /** bigint, which pg hands over as text. */
  seq: string;
}

export function intervalsOfRows(rows: readonly MembershipEventRow[]): MembershipInterval[] {
  return membershipIntervals(
    rows.map((r) => ({
      teamId: r.team_id,
      repId: r.rep_id,
      kind: r.kind,
      ...(r.role !== null ? { role: r.role } : {}),
      atMs: r.at.getTime(),
      seq: Number(r.seq),
    })),
  );
}
