import { hasRole, Principal } from '@pacer/auth';

/** Which KPI snapshots one signed-in person may receive on `/api/live`. */
export interface KpiAudience {
  tenantId: string;
  /** Every scope of the tenant (admin, manager, bi). */
  wholeTenant: boolean;
  org: boolean;
  teams: ReadonlySet<string>;
  reps: ReadonlySet<string>;
}

/** The scope a snapshot is about, as read off its CloudEvent (`tenantid`, `data.scope`, `data.scopeId`). */
export interface SnapshotScope {
  tenantId: string;
  scope: string;
  scopeId: string;
}

/** What the roster says about the person: their teams (a rep), or the displayed team's members (a TV). */
export interface AudienceRoster {
  teamIds?: readonly string[];
  memberRepIds?: readonly string[];
}

/**
 * The SSE filter. Managers see the whole tenant here (the KPI API decides what they may open; the
 * stream only says that something changed); a rep sees their own rep scope, their teams and the org,
 * so the team leaderboard they are allowed to read moves live; a display sees its team and the team's
 * members' rep scopes. Ingest and operator tokens read no KPIs.
 */
export function audienceOf(principal: Principal, roster: AudienceRoster = {}): KpiAudience {
  const none: KpiAudience = { tenantId: principal.tenantId, wholeTenant: false, org: false, teams: new Set(), reps: new Set() };
  if (!principal.tenantId) return none;
  if (hasRole(principal, 'admin', 'manager', 'bi')) return { ...none, wholeTenant: true };
  if (hasRole(principal, 'display')) {
    return { ...none, teams: new Set(principal.teamId ? [principal.teamId] : []), reps: new Set(roster.memberRepIds ?? []) };
  }
  if (hasRole(principal, 'rep') && principal.repId) {
    const teams = new Set(roster.teamIds ?? []);
    if (principal.teamId) teams.add(principal.teamId);
    return { ...none, org: true, teams, reps: new Set([principal.repId]) };
  }
  return none;
}

export function mayReceive(audience: KpiAudience, snapshot: SnapshotScope): boolean {
  if (snapshot.tenantId !== audience.tenantId || audience.tenantId === '') return false;
  if (audience.wholeTenant) return true;
  switch (snapshot.scope) {
    case 'org':
      return audience.org;
    case 'team':
      return audience.teams.has(snapshot.scopeId);
    case 'rep':
      return audience.reps.has(snapshot.scopeId);
    default:
      return false;
  }
}

/** A `pacer.kpi.v1` record's value, read only as far as the filter and the SSE payload need. */
export interface KpiChange extends SnapshotScope {
  key: string;
  snapshot: Record<string, unknown>;
}

export function parseKpiRecord(key: string, value: Buffer | string | null): KpiChange | undefined {
  if (value === null) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Record<string, unknown>;
  const data = e['data'];
  if (e['type'] !== 'pacer.kpi.snapshot.v1' || typeof e['tenantid'] !== 'string' || typeof data !== 'object' || data === null) {
    return undefined;
  }
  const d = data as Record<string, unknown>;
  if (typeof d['scope'] !== 'string' || typeof d['scopeId'] !== 'string') return undefined;
  return { key, tenantId: e['tenantid'], scope: d['scope'], scopeId: d['scopeId'], snapshot: d };
}
