import { hasRole, Principal } from '@pacer/auth';
import type { AudienceRoster } from './kpi-visibility';

interface TeamLike {
  teamId?: unknown;
  members?: { repId?: unknown }[];
  membership?: { repId?: unknown }[];
}

async function getJson(url: string, token: string): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

const repIdsOf = (rows: { repId?: unknown }[] | undefined): string[] =>
  (rows ?? []).map((r) => r.repId).filter((r): r is string => typeof r === 'string');

/**
 * Asks the services, with the person's own token, what the live filter needs to know about them:
 * a display's team members (every membership period, so a rep who left mid-period still moves the
 * board), a rep's teams. The BFF keeps no roster of its own; a lookup that fails leaves the
 * narrower audience (a display then gets its team scope only).
 */
export async function lookUpRoster(principal: Principal, token: string, urls: { sprintPlanning: string; kpiAggregation: string }): Promise<AudienceRoster> {
  if (hasRole(principal, 'display') && principal.teamId) {
    const team = encodeURIComponent(principal.teamId);
    try {
      const body = (await getJson(`${urls.sprintPlanning}/v1/teams/${team}`, token)) as TeamLike;
      return { memberRepIds: [...new Set([...repIdsOf(body.members), ...repIdsOf(body.membership)])] };
    } catch {
      // A display may be allowed the leaderboard but not the roster: its entries are the members.
    }
    try {
      const body = (await getJson(`${urls.kpiAggregation}/v1/leaderboard?teamId=${team}&period=month&metric=calls`, token)) as {
        entries?: { repId?: unknown }[];
      };
      return { memberRepIds: repIdsOf(body.entries) };
    } catch {
      return {};
    }
  }
  if (hasRole(principal, 'rep') && principal.repId && !hasRole(principal, 'admin', 'manager')) {
    try {
      const teams = (await getJson(`${urls.sprintPlanning}/v1/teams`, token)) as TeamLike[];
      const repId = principal.repId;
      return {
        teamIds: teams.filter((t) => repIdsOf(t.members).includes(repId)).map((t) => t.teamId).filter((t): t is string => typeof t === 'string'),
      };
    } catch {
      return {};
    }
  }
  return {};
}
