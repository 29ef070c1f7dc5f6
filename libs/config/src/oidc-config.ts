import { bool, cleanEnv, num, str, url } from 'envalid';

/** Single sign-on for the services' bearer tokens (SPEC §7); the shape libs/auth's OidcTokenVerifier takes. */
export interface OidcServiceConfig {
  issuer: string;
  audiences: string[];
  claims: { tenant: string; roles: string; repId: string; teamId: string };
  clockSkewSeconds: number;
  jwksCooldownMs: number;
  allowInsecureIssuer: boolean;
}

export const OIDC_CONFIG_VARIABLES = [
  'PACER_OIDC_ISSUER',
  'PACER_OIDC_AUDIENCE',
  'PACER_OIDC_CLAIM_TENANT',
  'PACER_OIDC_CLAIM_ROLES',
  'PACER_OIDC_CLAIM_REP_ID',
  'PACER_OIDC_CLAIM_TEAM_ID',
  'PACER_OIDC_CLOCK_SKEW_SECONDS',
  'PACER_OIDC_JWKS_COOLDOWN_SECONDS',
  'PACER_OIDC_DISCOVERY_INSECURE',
] as const;

/**
 * Reads the PACER_OIDC_* variables: undefined without PACER_OIDC_ISSUER; otherwise an audience is
 * required (a service that accepted every token of the issuer would accept tokens minted for any
 * other application registered there). `fail` throws the caller's ConfigError naming the variable.
 */
export function loadOidcConfig(source: NodeJS.ProcessEnv, production: boolean, fail: (message: string) => never): OidcServiceConfig | undefined {
  const env = cleanEnv(
    source,
    {
      PACER_OIDC_ISSUER: url({ default: undefined, desc: 'OpenID Connect issuer whose access tokens the services accept' }),
      PACER_OIDC_AUDIENCE: str({ default: undefined, desc: "Comma-separated: a token's aud must hold one of these" }),
      PACER_OIDC_CLAIM_TENANT: str({ default: 'tid' }),
      PACER_OIDC_CLAIM_ROLES: str({ default: 'roles' }),
      PACER_OIDC_CLAIM_REP_ID: str({ default: 'repId' }),
      PACER_OIDC_CLAIM_TEAM_ID: str({ default: 'teamId' }),
      PACER_OIDC_CLOCK_SKEW_SECONDS: num({ default: 30 }),
      PACER_OIDC_JWKS_COOLDOWN_SECONDS: num({ default: 30 }),
      PACER_OIDC_DISCOVERY_INSECURE: bool({ default: false }),
    },
    {
      reporter: ({ errors }) => {
        const [name, err] = Object.entries(errors as Record<string, Error | undefined>)[0] ?? [];
        if (name) fail(`${name}: ${err?.message ?? 'invalid'}`);
      },
    },
  );
  if (!env.PACER_OIDC_ISSUER) return undefined;
  const audiences = (env.PACER_OIDC_AUDIENCE ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (audiences.length === 0) fail('PACER_OIDC_AUDIENCE is required when PACER_OIDC_ISSUER is set');
  for (const [name, value] of [
    ['PACER_OIDC_CLOCK_SKEW_SECONDS', env.PACER_OIDC_CLOCK_SKEW_SECONDS],
    ['PACER_OIDC_JWKS_COOLDOWN_SECONDS', env.PACER_OIDC_JWKS_COOLDOWN_SECONDS],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 3600) fail(`${name} must be an integer from 0 to 3600`);
  }
  const insecure = new URL(env.PACER_OIDC_ISSUER).protocol === 'http:';
  if (insecure && (production || !env.PACER_OIDC_DISCOVERY_INSECURE)) {
    fail(`PACER_OIDC_ISSUER must be https://${production ? '' : ' (or set PACER_OIDC_DISCOVERY_INSECURE=true outside production)'}`);
  }
  return {
    issuer: env.PACER_OIDC_ISSUER,
    audiences,
    claims: {
      tenant: env.PACER_OIDC_CLAIM_TENANT,
      roles: env.PACER_OIDC_CLAIM_ROLES,
      repId: env.PACER_OIDC_CLAIM_REP_ID,
      teamId: env.PACER_OIDC_CLAIM_TEAM_ID,
    },
    clockSkewSeconds: env.PACER_OIDC_CLOCK_SKEW_SECONDS,
    jwksCooldownMs: env.PACER_OIDC_JWKS_COOLDOWN_SECONDS * 1000,
    allowInsecureIssuer: insecure,
  };
}
