import type { Role } from '@pacer/contracts';
import type { RoleInterval } from '@pacer/sales-domain';

// Membership intervals have one home, @pacer/sales-domain (one tie-break rule shared with the KPI
// service); commission reads them with a role, under the names its callers use.
export { managerCanSee, roleIntervalsOf as membershipIntervals, teamsManagedAt } from '@pacer/sales-domain';

/** A rep's membership of a team with one role over `[fromMs, toMs)`. */
export type MembershipInterval = RoleInterval<Role>;
