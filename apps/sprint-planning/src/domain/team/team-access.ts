import { hasRole, type Principal, type Role } from '@pacer/auth';
import { SprintPlanningError } from '../sprint-planning.error';
import { coversInstant, MembershipSegment } from './membership';

/** Every tenant role plus `display`: the routes a TV screen reads (its own team only, checked per team). */
export const TEAM_READERS: readonly Role[] = ['admin', 'manager', 'rep', 'ingest', 'bi', 'display'];

/**
 * Whether the caller's repId is the team's MANAGER member at `at` (SPEC §7: a manager token carries
 * the manager's own repId, and manager rights hold only for the teams it manages).
 */
export function managesTeam(principal: Principal, segments: readonly MembershipSegment[], at: string): boolean {
  if (!hasRole(principal, 'manager') || principal.repId === undefined) return false;
  return segments.some((s) => s.repId === principal.repId && s.role === 'MANAGER' && coversInstant(s, at));
}

/** Admins act on every team, managers on the teams they manage now. */
export function canManageTeam(principal: Principal, segments: readonly MembershipSegment[], at: string): boolean {
  return hasRole(principal, 'admin') || managesTeam(principal, segments, at);
}

/**
 * Who may act on the team's settings, members and sprints: 403 for a manager of another team (or a
 * manager token without a repId). Callers have already passed the route's `@Roles`.
 */
export function assertCanManageTeam(
  principal: Principal,
  teamId: string,
  segments: readonly MembershipSegment[],
  at: string,
): void {
  if (canManageTeam(principal, segments, at)) return;
  throw new SprintPlanningError(
    'forbidden',
    `Manager rights on team ${teamId} belong to its MANAGER member${principal.repId ? `; ${principal.repId} is not it` : ''}.`,
  );
}

/**
 * Who may read the team's sprints, boards, reports and velocity. A display token sees only its own
 * team and another team does not exist for it (404, like another tenant's); a manager reads the teams
 * it manages (403 otherwise); reps, BI and ingest read every team of their tenant, as before.
 */
export function assertCanReadTeam(
  principal: Principal,
  teamId: string,
  segments: readonly MembershipSegment[],
  at: string,
  notFound: () => SprintPlanningError,
): void {
  if (hasRole(principal, 'admin', 'rep', 'bi', 'ingest')) return;
  if (hasRole(principal, 'display')) {
    if (principal.teamId === teamId) return;
    throw notFound();
  }
  assertCanManageTeam(principal, teamId, segments, at);
}
