import { OidcSignInError, principalFromClaims } from './oidc-sign-in';

const names = { tenant: 'tid', roles: 'realm_access.roles', repId: 'repId', teamId: 'teamId' };

describe('a Pacer principal from an issuer’s claims', () => {
  it('reads the configured (dotted) claim names and keeps only Pacer roles', () => {
    expect(principalFromClaims({ sub: 'u1', tid: 'acme', realm_access: { roles: ['offline_access', 'rep'] }, repId: 'r9' }, names)).toEqual({
      subject: 'u1',
      tenantId: 'acme',
      roles: ['rep'],
      repId: 'r9',
    });
  });

  it('reads a namespaced claim whose name has dots (Auth0-style) as one claim, not as a path', () => {
    const tenant = 'https://pacer.example.com/tenant';
    expect(principalFromClaims({ sub: 'u1', [tenant]: 'acme', roles: ['bi'] }, { ...names, tenant, roles: 'roles' }).tenantId).toBe('acme');
  });

  it('accepts roles as a space- or comma-separated string', () => {
    expect(principalFromClaims({ sub: 'u1', tid: 'acme', roles: 'manager, rep' }, { ...names, roles: 'roles' }).roles).toEqual(['manager', 'rep']);
  });

  it('refuses a token without a Pacer role or without a tenant', () => {
    expect(() => principalFromClaims({ sub: 'u1', tid: 'acme', realm_access: { roles: ['offline_access'] } }, names)).toThrow(OidcSignInError);
    expect(() => principalFromClaims({ sub: 'u1', realm_access: { roles: ['bi'] } }, names)).toThrow(/tenant claim \(tid\)/);
  });

  it('applies the services’ rules: a rep-only token names its rep, a display token its team and nothing else', () => {
    expect(() => principalFromClaims({ sub: 'u1', tid: 'acme', realm_access: { roles: ['rep'] } }, names)).toThrow(/repId claim/);
    expect(() => principalFromClaims({ sub: 'tv', tid: 'acme', realm_access: { roles: ['display'] } }, names)).toThrow(/teamId claim/);
    expect(principalFromClaims({ sub: 'tv', tid: 'acme', realm_access: { roles: ['display'] }, teamId: 't1' }, names)).toMatchObject({ roles: ['display'], teamId: 't1' });
  });
});
