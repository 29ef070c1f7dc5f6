import { ClaimNames, DEFAULT_CLAIM_NAMES, InvalidTokenError, principalFromClaims, readClaim, rolesFromClaim } from './claims';

// Claim names as the identity providers of docs/deployment.md spell them.
const KEYCLOAK: ClaimNames = { tenant: 'pacer_tenant', roles: 'realm_access.roles', repId: 'pacer_rep_id', teamId: 'pacer_team_id' };
const AUTH0: ClaimNames = {
  tenant: 'https://pacer.example.com/tenant',
  roles: 'https://pacer.example.com/roles',
  repId: 'https://pacer.example.com/repId',
  teamId: 'https://pacer.example.com/teamId',
};
const ENTRA: ClaimNames = { tenant: 'extension_pacerTenant', roles: 'roles', repId: 'extension_pacerRepId', teamId: 'extension_pacerTeamId' };

describe('claim mapping: a verified token to a Pacer principal', () => {
  it("reads Pacer's own claim names by default", () => {
    expect(principalFromClaims({ sub: 'u1', tid: 'acme', roles: ['manager', 'rep'], repId: 'rep-1' })).toEqual({
      subject: 'u1',
      tenantId: 'acme',
      roles: ['manager', 'rep'],
      repId: 'rep-1',
    });
  });

  it("walks a dotted path such as Keycloak's realm_access.roles and ignores the issuer's own roles", () => {
    const claims = { sub: 'kc-1', pacer_tenant: 'acme', realm_access: { roles: ['default-roles-pacer', 'offline_access', 'rep'] }, pacer_rep_id: 'rep-7' };
    expect(principalFromClaims(claims, KEYCLOAK)).toEqual({ subject: 'kc-1', tenantId: 'acme', roles: ['rep'], repId: 'rep-7' });
  });

  it('reads an Auth0 namespaced claim (dots inside its name) whole, not as a path', () => {
    const claims = { sub: 'auth0|1', 'https://pacer.example.com/tenant': 'acme', 'https://pacer.example.com/roles': ['admin'] };
    expect(principalFromClaims(claims, AUTH0)).toEqual({ subject: 'auth0|1', tenantId: 'acme', roles: ['admin'] });
  });

  it('reads Entra ID app roles and directory extension attributes', () => {
    const claims = { sub: 'AAAA-entra', roles: ['bi'], extension_pacerTenant: 'acme' };
    expect(principalFromClaims(claims, ENTRA)).toEqual({ subject: 'AAAA-entra', tenantId: 'acme', roles: ['bi'] });
  });

  it('accepts the roles claim as a space- or comma-separated string, without duplicates', () => {
    expect(rolesFromClaim('manager rep')).toEqual(['manager', 'rep']);
    expect(rolesFromClaim('manager,rep, bi')).toEqual(['manager', 'rep', 'bi']);
    expect(rolesFromClaim(['rep', 'rep', 42, 'superuser'])).toEqual(['rep']);
    expect(rolesFromClaim({ rep: true })).toEqual([]);
    expect(principalFromClaims({ sub: 'u', tid: 't', roles: 'ingest bi' }).roles).toEqual(['ingest', 'bi']);
  });

  it('keeps the display role bound to the team in its (configurable) teamId claim', () => {
    expect(principalFromClaims({ sub: 'tv', pacer_tenant: 'acme', realm_access: { roles: ['display'] }, pacer_team_id: 'team-a' }, KEYCLOAK)).toEqual({
      subject: 'tv',
      tenantId: 'acme',
      roles: ['display'],
      teamId: 'team-a',
    });
    expect(() => principalFromClaims({ sub: 'tv', pacer_tenant: 'acme', realm_access: { roles: ['display'] }, teamId: 'team-a' }, KEYCLOAK)).toThrow(
      /display token needs a teamId claim \(pacer_team_id\)/,
    );
    expect(() => principalFromClaims({ sub: 'tv', tid: 'acme', roles: ['display', 'rep'], teamId: 't', repId: 'r' })).toThrow(/no other role/);
  });

  it('keeps the operator role tenant-less under OIDC', () => {
    expect(principalFromClaims({ sub: 'ops', realm_access: { roles: ['operator'] } }, KEYCLOAK)).toEqual({ subject: 'ops', tenantId: '', roles: ['operator'] });
    expect(() => principalFromClaims({ sub: 'ops', pacer_tenant: 'acme', realm_access: { roles: ['operator'] } }, KEYCLOAK)).toThrow(/no tenant claim/);
    expect(() => principalFromClaims({ sub: 'ops', realm_access: { roles: ['operator', 'admin'] } }, KEYCLOAK)).toThrow(/no other role/);
  });

  it('refuses a token without sub, a known role, a tenant, or (rep only) a repId, naming the configured claim', () => {
    const refusal = (claims: Record<string, unknown>, names: ClaimNames = KEYCLOAK): string => {
      try {
        principalFromClaims(claims, names);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidTokenError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal({ pacer_tenant: 'acme', realm_access: { roles: ['rep'] } })).toMatch(/sub claim/);
    expect(refusal({ sub: 'u', pacer_tenant: 'acme' })).toBe('roles claim (realm_access.roles) missing');
    expect(refusal({ sub: 'u', pacer_tenant: 'acme', realm_access: { roles: ['offline_access'] } })).toMatch(/no known role/);
    expect(refusal({ sub: 'u', pacer_tenant: '', realm_access: { roles: ['bi'] } })).toBe('tenant claim (pacer_tenant) missing');
    expect(refusal({ sub: 'u', pacer_tenant: 'acme', realm_access: { roles: ['rep'] } })).toMatch(/repId claim \(pacer_rep_id\)/);
    expect(refusal({ sub: 'u', tid: 42, roles: ['bi'] }, DEFAULT_CLAIM_NAMES)).toBe('tenant claim (tid) missing');
  });

  it('reads a path only through plain objects (no array indices, no inherited properties)', () => {
    expect(readClaim({ a: { b: 'x' } }, 'a.b')).toBe('x');
    expect(readClaim({ 'a.b': 'whole', a: { b: 'path' } }, 'a.b')).toBe('whole');
    expect(readClaim({ a: ['x'] }, 'a.0')).toBeUndefined();
    expect(readClaim({ a: {} }, 'a.constructor')).toBeUndefined();
    expect(readClaim({ a: null }, 'a.b')).toBeUndefined();
  });
});
