import { ConfigError, loadConfig } from './config';

describe('single sign-on configuration (PACER_OIDC_*)', () => {
  const base = { PACER_OIDC_ISSUER: 'https://id.example.com/realms/pacer', PACER_OIDC_AUDIENCE: 'pacer-api, https://api.pacer.example.com' };

  it('is off without an issuer, and then production still needs a secret or key', () => {
    expect(loadConfig('commission', {}).oidc).toBeUndefined();
    expect(() => loadConfig('commission', { NODE_ENV: 'production' })).toThrow(/PACER_OIDC_ISSUER is required in production/);
  });

  it('reads the audiences, claim names, skew and JWKS cooldown; an issuer alone suffices in production', () => {
    const config = loadConfig('commission', {
      ...base,
      NODE_ENV: 'production',
      PACER_OIDC_CLAIM_ROLES: 'realm_access.roles',
      PACER_OIDC_CLOCK_SKEW_SECONDS: '5',
      PACER_OIDC_JWKS_COOLDOWN_SECONDS: '0',
    });
    expect(config.oidc).toEqual({
      issuer: base.PACER_OIDC_ISSUER,
      audiences: ['pacer-api', 'https://api.pacer.example.com'],
      claims: { tenant: 'tid', roles: 'realm_access.roles', repId: 'repId', teamId: 'teamId' },
      clockSkewSeconds: 5,
      jwksCooldownMs: 0,
      allowInsecureIssuer: false,
    });
  });

  it('refuses an issuer without an audience, a bad skew, and http:// unless allowed outside production', () => {
    const refusal = (env: Record<string, string>): string => {
      try {
        loadConfig('commission', env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(refusal({ PACER_OIDC_ISSUER: base.PACER_OIDC_ISSUER })).toMatch(/PACER_OIDC_AUDIENCE is required/);
    expect(refusal({ ...base, PACER_OIDC_CLOCK_SKEW_SECONDS: '-1' })).toMatch(/PACER_OIDC_CLOCK_SKEW_SECONDS must be/);
    expect(refusal({ ...base, PACER_OIDC_ISSUER: 'not a url' })).toMatch(/PACER_OIDC_ISSUER/);
    const http = { ...base, PACER_OIDC_ISSUER: 'http://127.0.0.1:9000' };
    expect(refusal(http)).toMatch(/PACER_OIDC_ISSUER must be https:\/\/ \(or set PACER_OIDC_DISCOVERY_INSECURE/);
    expect(refusal({ ...http, PACER_OIDC_DISCOVERY_INSECURE: 'true', NODE_ENV: 'production' })).toMatch(/must be https:\/\/$/);
    expect(loadConfig('commission', { ...http, PACER_OIDC_DISCOVERY_INSECURE: 'true' }).oidc?.allowInsecureIssuer).toBe(true);
  });
});
