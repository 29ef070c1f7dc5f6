import { KpiScope } from '@pacer/contracts';
import { hasRole, Principal } from '@pacer/auth';

/** What the caller's own memberships are, as far as visibility goes. */
export interface Viewer {
  principal: Principal;
  /** Teams the caller's rep has ever been a member of. */
  teams: ReadonlySet<string>;
  /** Teams where the caller's rep is the MANAGER member now (SPEC §7: where manager rights hold). */
  managed: ReadonlySet<string>;
}

/** Admin and BI see everything of their tenant. */
export function seesEverything(principal: Principal): boolean {
  return hasRole(principal, 'admin', 'bi');
}

/**
 * Whether the caller may read a scope's KPIs: admin and bi everything; reps their own and their
 * teams'; managers their own, their teams' and the members' of the teams they manage (`repTeams` are
 * the teams of the rep asked about); a display (TV screen) only its own team's. The org is for admin
 * and bi only.
 */
export function maySee(viewer: Viewer, scope: KpiScope, scopeId: string, repTeams: ReadonlySet<string> = new Set()): boolean {
  const { principal, teams, managed } = viewer;
  if (seesEverything(principal)) return true;
  if (hasRole(principal, 'display') && scope === 'team' && principal.teamId === scopeId) return true;
  const member = hasRole(principal, 'rep', 'manager');
  switch (scope) {
    case 'org':
      return false;
    case 'team':
      return member && teams.has(scopeId);
    case 'rep':
      if (member && principal.repId === scopeId) return true;
      return hasRole(principal, 'manager') && [...repTeams].some((t) => managed.has(t));
  }
}
