import type { Role, SalesModel } from '@pacer/contracts';
import { SprintPlanningError } from '../sprint-planning.error';
import { instantMillis } from '../calendar/sprint-calendar';
import { MembershipSegment } from './membership';

/**
 * SPEC §4 role rules, as decided for Pacer:
 * - `island`: every rep works the full cycle, so a member is `AE`, or the team's one `MANAGER`.
 * - `assembly_line`: a member holds one stage role (`SDR`, `AE`, `AM`, `CSM`), or is the team's one
 *   `MANAGER`.
 * A team has at most one MANAGER at any moment (in both models).
 */
export const ROLES_BY_SALES_MODEL: Readonly<Record<SalesModel, readonly Role[]>> = {
  island: ['AE', 'MANAGER'],
  assembly_line: ['SDR', 'AE', 'AM', 'CSM', 'MANAGER'],
};

/** Throws when `role` is not allowed for a member of a `salesModel` team from `from` on. */
export function assertRoleAllowed(
  salesModel: SalesModel,
  role: Role,
  repId: string,
  from: string,
  segments: readonly MembershipSegment[],
): void {
  if (!ROLES_BY_SALES_MODEL[salesModel].includes(role)) {
    const allowed = ROLES_BY_SALES_MODEL[salesModel].join(', ');
    const why = salesModel === 'island' ? ' (island reps work the full cycle as AE)' : '';
    throw new SprintPlanningError(
      'role-not-allowed',
      `Role ${role} is not allowed in an ${salesModel} team${why}; allowed: ${allowed}.`,
      [{ path: 'role', message: `must be one of ${allowed}` }],
    );
  }
  if (role !== 'MANAGER') return;
  const t = instantMillis(from);
  const other = segments.find(
    (s) => s.repId !== repId && s.role === 'MANAGER' && (s.to === undefined || instantMillis(s.to) > t),
  );
  if (other) {
    throw new SprintPlanningError(
      'team-already-has-manager',
      `The team already has a manager (${other.repId}) at that time; a team has one MANAGER.`,
      [{ path: 'role', message: 'the team already has a MANAGER' }],
      { managerRepId: other.repId },
    );
  }
}
