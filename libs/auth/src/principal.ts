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
  /**
   * The role this request acts in, set by the AuthGuard from the route's `@Roles` (see `actingRole`);
   * absent outside a request (a principal built by hand), where `actingRole(principal)` decides.
   */
  actingAs?: Role;
}

/**
 * Most privileged first: a token holding several roles acts in the first of these that the route
 * allows, so a `rep`-only token always acts as `rep`, and `[admin, rep]` acts as `admin`.
 */
export const ROLE_PRECEDENCE: readonly Role[] = ['operator', 'admin', 'manager', 'ingest', 'rep', 'bi', 'display'];

/**
 * The role a request acts in (recorded in audits and as an activity's `recordedrole`): the most
 * privileged role the principal holds that `allowed` (the route's `@Roles`) admits; with no
 * restriction, the most privileged role it holds.
 */
export function actingRole(principal: Principal, allowed?: readonly Role[]): Role {
  if (principal.actingAs && (!allowed || allowed.includes(principal.actingAs))) return principal.actingAs;
  const held = ROLE_PRECEDENCE.filter((r) => principal.roles.includes(r));
  const role = held.find((r) => !allowed || allowed.includes(r)) ?? held[0];
  if (!role) throw new Error(`principal ${principal.subject} holds no role`);
  return role;
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => principal.roles.includes(r));
}

/** True for a platform operator token (no tenant). */
export function isOperator(principal: Principal): boolean {
  return principal.roles.includes('operator');
}
