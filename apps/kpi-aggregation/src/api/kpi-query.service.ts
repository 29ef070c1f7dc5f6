import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { DataSource } from 'typeorm';
import { hasRole, Principal } from '@pacer/auth';
import { isPeriodKeyOf, KPI_METRIC_VALUE_KINDS, KpiMetric, KpiSnapshotData, PERIOD_TYPES, PeriodType } from '@pacer/contracts';
import { ProblemException } from '@pacer/http';
import { CalendarError, overlaps, startOfLocalDate, TenantCalendar } from '@pacer/sales-domain';
import { isCalendarPeriod } from '../domain/kpi-key';
import { deriveMetrics } from '../domain/kpi-metrics.calculator';
import { snapshotData } from '../domain/kpi-snapshot';
import { emptyTally } from '../domain/kpi-tally';
import { periodResolverFor } from '../domain/period-resolver';
import { sprintSpan } from '../domain/sprint-record';
import { calendarOf } from '../domain/tenant-settings';
import { PgKpiStore, toSnapshot } from '../persistence/pg-kpi.store';
import { maySee, seesEverything, Viewer } from './kpi-access';
import { DEFAULT_LIMIT, KpisQueryDto, LeaderboardDto, LeaderboardEntryDto, LeaderboardQueryDto } from './kpi-query.dto';
import { teamsManagedNow } from './managed-teams';

const PERIOD_ORDER = `array_position(ARRAY[${PERIOD_TYPES.map((t) => `'${t}'`).join(',')}]::text[], period_type)`;

/**
 * Reads what was published: the API serves the snapshots exactly as they are on `pacer.kpi.v1`
 * (same numbers, revision and asOf), scoped to the caller's tenant and visibility.
 */
@Injectable()
export class KpiQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async kpis(principal: Principal, query: KpisQueryDto): Promise<KpiSnapshotData[]> {
    const tenantId = principal.tenantId;
    const scopeId =
      query.scopeId ??
      (query.scope === 'org' ? tenantId : query.scope === 'rep' ? principal.repId : hasRole(principal, 'display') ? principal.teamId : undefined);
    if (scopeId === undefined) throw ProblemException.validation([{ path: 'scopeId', message: `scopeId is required for scope ${query.scope}` }]);
    if (query.key !== undefined) {
      if (query.period === undefined) throw ProblemException.validation([{ path: 'key', message: 'key needs period' }]);
      if (!isPeriodKeyOf(query.period, query.key)) {
        throw ProblemException.validation([{ path: 'key', message: `"${query.key}" is not a ${query.period} key` }]);
      }
    }
    const viewer = await this.viewer(principal);
    if (!maySee(viewer, query.scope, scopeId, query.scope === 'rep' ? await this.teamsOf(tenantId, scopeId) : undefined)) {
      throw new ProblemException(403, 'forbidden', `You may not read the KPIs of ${query.scope} ${scopeId}.`);
    }
    const timezone = query.from !== undefined || query.to !== undefined ? await this.timezoneOf(tenantId) : 'UTC';
    const fromMs = query.from === undefined ? null : this.instantMs('from', query.from, timezone);
    const toMs = query.to === undefined ? null : this.instantMs('to', query.to, timezone);
    const rows = (await this.dataSource.query(
      `SELECT * FROM kpi_snapshots
        WHERE tenant_id = $1 AND scope = $2 AND scope_id = $3
          AND ($4::text IS NULL OR period_type = $4) AND ($5::text IS NULL OR period_key = $5)
          AND ($6::bigint IS NULL OR end_ms > $6) AND ($7::bigint IS NULL OR start_ms < $7)
        ORDER BY ${PERIOD_ORDER}, start_ms, period_key
        LIMIT $8`,
      [tenantId, query.scope, scopeId, query.period ?? null, query.key ?? null, fromMs, toMs, query.limit ?? DEFAULT_LIMIT],
    )) as Record<string, unknown>[];
    return rows.map((r) => snapshotData(toSnapshot(r)));
  }

  /**
   * A team's selling members (or the org's reps) ranked by one metric of one period, each named from
   * the roster. Managers are not ranked; `key` defaults to the period containing now.
   */
  async leaderboard(principal: Principal, query: LeaderboardQueryDto): Promise<LeaderboardDto> {
    const tenantId = principal.tenantId;
    const metric: KpiMetric = query.metric ?? 'revenueWon';
    // A TV screen shows its own team: the team is implied, and no other is readable.
    const teamId = query.teamId ?? (hasRole(principal, 'display') ? principal.teamId : undefined);
    const viewer = await this.viewer(principal);
    if (teamId === undefined ? !seesEverything(principal) : !maySee(viewer, 'team', teamId)) {
      throw new ProblemException(403, 'forbidden', teamId === undefined ? 'Only admin and bi may rank the whole org.' : `You may not read team ${teamId}.`);
    }
    const store = new PgKpiStore(this.dataSource.manager);
    const calendar = calendarOf(await store.loadSettings(tenantId));
    const key = query.key ?? (await this.currentKey(store, tenantId, calendar, query.period, teamId));
    if (!isPeriodKeyOf(query.period, key)) {
      throw ProblemException.validation([{ path: 'key', message: `"${key}" is not a ${query.period} key` }]);
    }
    const window = await this.windowOf(store, tenantId, calendar, query.period, key, teamId);
    const members = teamId === undefined ? undefined : await this.membersDuring(store, tenantId, teamId, window);
    const rows = (await this.dataSource.query(
      `SELECT * FROM kpi_snapshots
        WHERE tenant_id = $1 AND scope = 'rep' AND period_type = $2 AND period_key = $3 AND ($4::text[] IS NULL OR scope_id = ANY($4))`,
      [tenantId, query.period, key, members ?? null],
    )) as Record<string, unknown>[];
    const snapshots = new Map(rows.map((r) => [String(r['scope_id']), toSnapshot(r)]));
    const profiles = await this.profiles(tenantId, teamId, window?.endMs ?? null);
    const empty = deriveMetrics(emptyTally(), null);
    const entries = [...new Set([...(members ?? []), ...snapshots.keys()])]
      .filter((repId) => profiles.get(repId)?.role !== 'MANAGER')
      .map((repId) => {
        const s = snapshots.get(repId);
        return {
          repId,
          name: profiles.get(repId)?.name ?? null,
          // A snapshot published before a metric existed lacks it: no value until it is next restated.
          value: (s ? s.metrics[metric] : empty[metric]) ?? null,
          revision: s ? s.revision : null,
          asOf: s ? new Date(s.asOfMs).toISOString() : null,
        };
      });
    entries.sort((a, b) => compareValues(metric, b.value, a.value) || (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0));
    const ranked: LeaderboardEntryDto[] = entries.slice(0, query.limit ?? DEFAULT_LIMIT).map((e, i) => ({ rank: i + 1, ...e }));
    return { teamId: teamId ?? null, period: query.period, key, metric, entries: ranked };
  }

  /** The key of the period containing now in the tenant's calendar; for a sprint, the team's running one. */
  private async currentKey(store: PgKpiStore, tenantId: string, calendar: TenantCalendar, period: PeriodType, teamId: string | undefined): Promise<string> {
    const now = Date.now();
    if (isCalendarPeriod(period)) {
      const [day, week, month, quarter, year] = periodResolverFor(calendar).keysAt(now);
      return { day, week, month, quarter, year }[period];
    }
    if (teamId === undefined) throw ProblemException.validation([{ path: 'key', message: 'a sprint leaderboard without teamId needs the sprint id as key' }]);
    const running = (await store.loadSprints(tenantId, { teamIds: [teamId] }))
      .filter((s) => s.teamId === teamId)
      .map((s) => sprintSpan(s, calendar))
      .find((span) => span.startMs <= now && now < span.endMs);
    if (!running) throw ProblemException.notFound(`A sprint of team ${teamId} running now`);
    return running.sprintId;
  }

  /** The period's window; a sprint must be the team's (404 otherwise). Undefined for an org sprint not seen yet. */
  private async windowOf(
    store: PgKpiStore,
    tenantId: string,
    calendar: TenantCalendar,
    period: PeriodType,
    key: string,
    teamId: string | undefined,
  ): Promise<{ startMs: number; endMs: number } | undefined> {
    if (isCalendarPeriod(period)) {
      try {
        return periodResolverFor(calendar).window(period, key);
      } catch (e) {
        if (e instanceof CalendarError) throw ProblemException.validation([{ path: 'key', message: e.message }]);
        throw e;
      }
    }
    const [sprint] = await store.loadSprints(tenantId, { sprintIds: [key] });
    if (teamId === undefined) return sprint ? sprintSpan(sprint, calendar) : undefined;
    if (!sprint || sprint.teamId !== teamId) throw ProblemException.notFound(`Sprint ${key} of team ${teamId}`);
    return sprintSpan(sprint, calendar);
  }

  /**
   * Each rep's display name and role as the roster had them at the end of the window (their latest
   * join or change before it), within the team when one is given.
   */
  private async profiles(tenantId: string, teamId: string | undefined, beforeMs: number | null): Promise<Map<string, { name: string; role: string | null }>> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (rep_id) rep_id, name, role FROM kpi_membership_events
        WHERE tenant_id = $1 AND member AND name IS NOT NULL AND ($2::text IS NULL OR team_id = $2) AND ($3::bigint IS NULL OR at_ms < $3)
        ORDER BY rep_id, at_ms DESC, recorded_ms DESC`,
      [tenantId, teamId ?? null, beforeMs],
    )) as { rep_id: string; name: string; role: string | null }[];
    return new Map(rows.map((r) => [r.rep_id, { name: r.name, role: r.role }]));
  }

  private async viewer(principal: Principal): Promise<Viewer> {
    if (seesEverything(principal) || principal.repId === undefined) return { principal, teams: new Set(), managed: new Set() };
    const [teams, managed] = await Promise.all([this.teamsOf(principal.tenantId, principal.repId), teamsManagedNow(this.dataSource, principal.tenantId, principal.repId)]);
    return { principal, teams, managed };
  }

  private async teamsOf(tenantId: string, repId: string): Promise<Set<string>> {
    const rows = (await this.dataSource.query(`SELECT DISTINCT team_id FROM kpi_memberships WHERE tenant_id = $1 AND rep_id = $2`, [
      tenantId,
      repId,
    ])) as { team_id: string }[];
    return new Set(rows.map((r) => r.team_id));
  }

  private async timezoneOf(tenantId: string): Promise<string> {
    const store = new PgKpiStore(this.dataSource.manager);
    return calendarOf(await store.loadSettings(tenantId)).timezone;
  }

  private instantMs(path: string, value: string, timezone: string): number {
    try {
      return value.length === 10 ? startOfLocalDate(value, timezone).toMillis() : Date.parse(value);
    } catch (e) {
      if (e instanceof CalendarError) throw ProblemException.validation([{ path, message: e.message }]);
      throw e;
    }
  }

  /** Reps who were members of the team at any time during the window (all its members when there is none). */
  private async membersDuring(store: PgKpiStore, tenantId: string, teamId: string, window: { startMs: number; endMs: number } | undefined): Promise<string[]> {
    const intervals = await store.loadIntervals(tenantId, { teamIds: [teamId] });
    const byRep = new Map<string, typeof intervals>();
    for (const i of intervals) if (i.teamId === teamId) byRep.set(i.repId, [...(byRep.get(i.repId) ?? []), i]);
    return [...byRep].filter(([, list]) => window === undefined || overlaps(list, window.startMs, window.endMs)).map(([repId]) => repId);
  }
}

/** Orders metric values ascending; null is lowest, money strings compare as decimals. */
function compareValues(metric: KpiMetric, a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  const kind = KPI_METRIC_VALUE_KINDS[metric];
  if (kind === 'money' || kind === 'moneyOrNull') return new Decimal(a as string).comparedTo(b as string);
  return (a as number) - (b as number);
}
