import { DataSource } from 'typeorm';

/**
 * Teams where the rep is the MANAGER member now (SPEC §7: where manager rights hold): the rep's
 * latest membership event in the team, up to now, is a MANAGER join or change.
 */
export async function teamsManagedNow(
  dataSource: DataSource,
  tenantId: string,
  repId: string,
): Promise<Set<string>> {
  const rows = (await dataSource.query(
    `SELECT team_id FROM (
       SELECT DISTINCT ON (team_id) team_id, member, role FROM kpi_membership_events
        WHERE tenant_id = $1 AND rep_id = $2 AND at_ms <= $3
        ORDER BY team_id, at_ms DESC, recorded_ms DESC) latest
      WHERE member AND role = 'MANAGER'`,
    [tenantId, repId, Date.now()],
  )) as { team_id: string }[];
  return new Set(rows.map((r) => r.team_id));
}
