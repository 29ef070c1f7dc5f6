/**
 * The roles of SPEC §7. `display` is a read-only TV screen bound to one team (its `teamId` claim);
 * `operator` runs platform-wide operations and belongs to no tenant.
 */
export const ROLES = ['admin', 'manager', 'rep', 'ingest', 'bi', 'display', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles that reach only the routes that name them in `@Roles(...)`: a route without `@Roles` is open
 * to every tenant role, and neither a TV screen nor a platform operator should inherit that.
 */
export const EXPLICIT_ONLY_ROLES: readonly Role[] = ['display', 'operator'];

/** Who is calling, as proven by the bearer token. Every query is scoped by `tenantId`. */
export interface Principal {
  subject: string;
  /** The caller's tenant; empty for an `operator`, which reads no tenant data. */
  tenantId: string;
  roles: Role[];
  /** Present for reps and managers: the rep this caller is. */
  repId?: string;
  /** Present for `display` tokens: the one team the screen shows. */
  teamId?: string;
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => principal.roles.includes(r));
}

/** True for a platform operator token (no tenant). */
export function isOperator(principal: Principal): boolean {
  return principal.roles.includes('operator');
}
