import type { Role } from '@pacer/contracts';
import { roleIntervalsOf, type RoleInterval } from '@pacer/sales-domain';

/**
 * A row of team_membership_events as `SELECT team_id, rep_id, kind, role, at, recorded_at, event_id`
 * reads it: the effective instant, the event's recordedtime and its id are the roster order.
 */
export interface MembershipEventRow {
  team_id: string;
  rep_id: string;
  kind: 'joined' | 'role_changed' | 'left';
  role: Role | null;
  at: Date;
  recorded_at: Date;
  event_id: string;
}

export function intervalsOfRows(rows: readonly MembershipEventRow[]): RoleInterval<Role>[] {
  return roleIntervalsOf(
    rows.map((r) => ({
      eventId: r.event_id,
      teamId: r.team_id,
      repId: r.rep_id,
      member: r.kind !== 'left',
      ...(r.role !== null ? { role: r.role } : {}),
      atMs: r.at.getTime(),
      recordedMs: r.recorded_at.getTime(),
    })),
  );
}
