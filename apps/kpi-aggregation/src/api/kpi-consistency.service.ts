import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hasRole, Principal } from '@pacer/auth';
import { ProblemException } from '@pacer/http';
import { AttainmentPoint, attainmentConsistency } from '../domain/attainment-consistency';
import { ConsistencyPeriod, ConsistencyQueryDto, DEFAULT_CONSISTENCY_LAST, RepConsistencyDto, TeamConsistencyDto } from './consistency.dto';
import { teamsManagedNow } from './managed-teams';

type Row = Record<string, unknown>;

/**
 * Attainment consistency (SPEC §5) read from the published rep snapshots: for each rep the last N
 * periods of the type that have ended (their end at or before now) and carry an attainment (a quota
 * for exactly that period, not zero), with mean, population standard deviation and coefficient of
 * variation. Who may read: the rep, a manager of a team the rep is in (manager rights as in §7) and
 * admins; a team's figures, its managers and admins.
 */
@Injectable()
export class KpiConsistencyService {
  constructor(private readonly dataSource: DataSource) {}

  async ofRep(principal: Principal, repId: string, query: ConsistencyQueryDto): Promise<RepConsistencyDto> {
    const tenantId = principal.tenantId;
    if (!hasRole(principal, 'admin')) {
      const own = principal.repId === repId && hasRole(principal, 'rep', 'manager');
      const managed = hasRole(principal, 'manager') && principal.repId !== undefined && (await this.manages(tenantId, principal.repId, repId));
      if (!own && !managed) throw new ProblemException(403, 'forbidden', `You may not read the consistency of rep ${repId}.`);
    }
    const [result] = await this.compute(tenantId, [repId], query);
    return result as RepConsistencyDto;
  }

  async ofTeam(principal: Principal, teamId: string, query: ConsistencyQueryDto): Promise<TeamConsistencyDto> {
    const tenantId = principal.tenantId;
    const known = (await this.dataSource.query(`SELECT 1 FROM kpi_membership_events WHERE tenant_id = $1 AND team_id = $2 LIMIT 1`, [
      tenantId,
      teamId,
    ])) as Row[];
    if (known.length === 0) throw ProblemException.notFound(`Team ${teamId}`);
    if (!hasRole(principal, 'admin')) {
      const managed = hasRole(principal, 'manager') && principal.repId !== undefined && (await teamsManagedNow(this.dataSource, tenantId, principal.repId)).has(teamId);
      if (!managed) throw new ProblemException(403, 'forbidden', `You may not read the consistency of team ${teamId}.`);
    }
    const members = await this.sellingMembersNow(tenantId, teamId);
    const results = await this.compute(tenantId, members, query);
    results.sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0));
    return { teamId, period: query.period, last: query.last ?? DEFAULT_CONSISTENCY_LAST, members: results };
  }

  private async compute(tenantId: string, repIds: readonly string[], query: ConsistencyQueryDto): Promise<RepConsistencyDto[]> {
    const last = query.last ?? DEFAULT_CONSISTENCY_LAST;
    const period: ConsistencyPeriod = query.period;
    // The last N ended periods with an attainment per rep, newest first (a window function keeps it one query per team).
    const rows = (await this.dataSource.query(
      `SELECT scope_id, period_key, period_start, period_end, revision, metrics->>'quota' AS quota, metrics->>'revenueWon' AS revenue,
              (metrics->>'quotaAttainment')::float8 AS attainment
         FROM (SELECT s.*, row_number() OVER (PARTITION BY scope_id ORDER BY start_ms DESC) AS n
                 FROM kpi_snapshots s
                WHERE tenant_id = $1 AND scope = 'rep' AND scope_id = ANY($2::text[]) AND period_type = $3 AND end_ms <= $4
                  AND jsonb_typeof(metrics->'quotaAttainment') = 'number') ranked
        WHERE n <= $5`,
      [tenantId, repIds, period, Date.now(), last],
    )) as Row[];
    const byRep = new Map<string, AttainmentPoint[]>();
    for (const r of rows) {
      const list = byRep.get(String(r['scope_id'])) ?? [];
      list.push({
        key: String(r['period_key']),
        start: String(r['period_start']),
        end: String(r['period_end']),
        quota: String(r['quota']),
        revenueWon: String(r['revenue']),
        quotaAttainment: Number(r['attainment']),
        revision: Number(r['revision']),
      });
      byRep.set(String(r['scope_id']), list);
    }
    const names = await this.names(tenantId, repIds);
    return repIds.map((repId) => {
      const periods = (byRep.get(repId) ?? []).sort((a, b) => (a.start < b.start ? -1 : 1));
      return { repId, name: names.get(repId) ?? null, period, last, ...attainmentConsistency(periods) };
    });
  }

  /** The rep's latest display name from any team's roster. */
  private async names(tenantId: string, repIds: readonly string[]): Promise<Map<string, string>> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (rep_id) rep_id, name FROM kpi_membership_events
        WHERE tenant_id = $1 AND rep_id = ANY($2::text[]) AND member AND name IS NOT NULL
        ORDER BY rep_id, at_ms DESC, recorded_ms DESC`,
      [tenantId, repIds],
    )) as { rep_id: string; name: string }[];
    return new Map(rows.map((r) => [r.rep_id, r.name]));
  }

  /** Whether `repId` has been a member of a team the manager manages now. */
  private async manages(tenantId: string, managerRepId: string, repId: string): Promise<boolean> {
    const teams = await teamsManagedNow(this.dataSource, tenantId, managerRepId);
    if (teams.size === 0) return false;
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM kpi_memberships WHERE tenant_id = $1 AND rep_id = $2 AND team_id = ANY($3::text[]) LIMIT 1`,
      [tenantId, repId, [...teams]],
    )) as Row[];
    return rows.length > 0;
  }

  /** Members of the team now (an interval holding now) whose current role there is not MANAGER. */
  private async sellingMembersNow(tenantId: string, teamId: string): Promise<string[]> {
    const now = Date.now();
    const rows = (await this.dataSource.query(
      `SELECT m.rep_id FROM kpi_memberships m
        WHERE m.tenant_id = $1 AND m.team_id = $2 AND m.from_ms <= $3 AND (m.to_ms IS NULL OR m.to_ms > $3)
          AND coalesce((SELECT e.role FROM kpi_membership_events e
                         WHERE e.tenant_id = m.tenant_id AND e.team_id = m.team_id AND e.rep_id = m.rep_id AND e.member AND e.at_ms <= $3
                         ORDER BY e.at_ms DESC, e.recorded_ms DESC LIMIT 1), '') <> 'MANAGER'
        GROUP BY m.rep_id ORDER BY m.rep_id`,
      [tenantId, teamId, now],
    )) as { rep_id: string }[];
    return rows.map((r) => r.rep_id);
  }
}
