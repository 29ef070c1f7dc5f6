import { Principal, Role, ROLES } from './principal';

/** Why a token's claims make no Pacer principal; answered as 401 with this message. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/**
 * Where a token carries the tenant, roles, repId and teamId. Pacer's own tokens use the defaults; an
 * identity provider's names are configured (PACER_OIDC_CLAIM_*), e.g. Keycloak's `realm_access.roles`.
 */
export interface ClaimNames {
  tenant: string;
  roles: string;
  repId: string;
  teamId: string;
}

export const DEFAULT_CLAIM_NAMES: Readonly<ClaimNames> = { tenant: 'tid', roles: 'roles', repId: 'repId', teamId: 'teamId' };

/**
 * Reads a claim by name or dotted path. A name that is itself a claim wins, so an Auth0-style
 * namespaced claim (`https://pacer.example.com/tenant`, dots inside) is read whole; only a name that
 * is not a claim is walked as a path (`realm_access.roles`).
 */
export function readClaim(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const key of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The roles claim as a list: a JSON array (Keycloak, Entra ID app roles, Auth0 with an Action) or a
 * space- or comma-separated string (an OAuth `scope`-style claim). Entries that are not Pacer roles
 * (an issuer's own roles such as `default-roles-pacer`, `offline_access`) are ignored.
 */
export function rolesFromClaim(value: unknown): Role[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  const known = list.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
  return [...new Set(known)];
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Maps a verified token's claims to the caller (SPEC §7), with the same rules for Pacer's own tokens
 * and an identity provider's: a known role is required, an operator carries no tenant and no other
 * role, every other caller has a tenant, a rep-only token names its rep, a display token names its
 * team and holds no other role.
 */
export function principalFromClaims(claims: Record<string, unknown>, names: ClaimNames = DEFAULT_CLAIM_NAMES): Principal {
  const subject = nonEmptyString(claims['sub']);
  if (!subject) throw new InvalidTokenError('sub claim missing');
  const rawRoles = readClaim(claims, names.roles);
  if (rawRoles === undefined) throw new InvalidTokenError(`roles claim (${names.roles}) missing`);
  const roles = rolesFromClaim(rawRoles);
  if (roles.length === 0) throw new InvalidTokenError(`no known role in the roles claim (${names.roles})`);
  const rawTenant = readClaim(claims, names.tenant);
  if (roles.includes('operator')) {
    // An operator acts on the platform, never inside a tenant: a token mixing the two is refused.
    if (roles.length > 1) throw new InvalidTokenError('an operator token carries no other role');
    if (rawTenant !== undefined) throw new InvalidTokenError(`an operator token carries no tenant claim (${names.tenant})`);
    return { subject, tenantId: '', roles };
  }
  const tenantId = nonEmptyString(rawTenant);
  if (!tenantId) throw new InvalidTokenError(`tenant claim (${names.tenant}) missing`);
  const repId = nonEmptyString(readClaim(claims, names.repId));
  const teamId = nonEmptyString(readClaim(claims, names.teamId));
  if (roles.includes('rep') && roles.length === 1 && !repId) {
    throw new InvalidTokenError(`a rep token needs a repId claim (${names.repId})`);
  }
  if (roles.includes('display')) {
    if (roles.length > 1) throw new InvalidTokenError('a display token carries no other role');
    if (!teamId) throw new InvalidTokenError(`a display token needs a teamId claim (${names.teamId})`);
  }
  return { subject, tenantId, roles, ...(repId ? { repId } : {}), ...(teamId ? { teamId } : {}) };
}
