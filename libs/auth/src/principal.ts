/** The roles of SPEC §7. */
export const ROLES = ['admin', 'manager', 'rep', 'ingest', 'bi'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as proven by the bearer token. Every query is scoped by `tenantId`. */
export interface Principal {
  subject: string;
  tenantId: string;
  roles: Role[];
  /** Present for reps: the rep this caller is. */
  repId?: string;
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => principal.roles.includes(r));
}
