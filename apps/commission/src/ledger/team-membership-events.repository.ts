import { EntityManager } from 'typeorm';
import { intervalsOfRows, MembershipEventRow } from '../roster/membership-rows';
import { MembershipInterval } from '../roster/team-membership';

// team_membership_events: the roster facts the consumer stores (fact-writer), read back as membership
// intervals by approvals, team statement lists and the access policy.

/** Membership intervals of every team the rep was ever in. */
export async function loadRepTeamIntervals(
  manager: EntityManager,
  tenantId: string,
  repId: string,
): Promise<MembershipInterval[]> {
  const rows = (await manager.query(
    `SELECT team_id, rep_id, kind, role, at, recorded_at, event_id FROM team_membership_events
      WHERE tenant_id = $1 AND team_id IN (SELECT team_id FROM team_membership_events WHERE tenant_id = $1 AND rep_id = $2)`,
    [tenantId, repId],
  )) as MembershipEventRow[];
  return intervalsOfRows(rows);
}

export async function loadTeamIntervals(
  manager: EntityManager,
  tenantId: string,
  teamId: string,
): Promise<MembershipInterval[]> {
  const rows = (await manager.query(
    `SELECT team_id, rep_id, kind, role, at, recorded_at, event_id FROM team_membership_events WHERE tenant_id = $1 AND team_id = $2`,
    [tenantId, teamId],
  )) as MembershipEventRow[];
  return intervalsOfRows(rows);
}
