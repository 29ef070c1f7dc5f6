import type { Configuration } from 'openid-client';
import { decodeJwt } from 'jose';
import { Principal, Role, ROLES } from '@pacer/auth';
import type { OidcConfig } from '../config/web-config';

type OpenIdClient = typeof import('openid-client');

/** What the browser carries (sealed) between `/auth/login` and `/auth/callback`. */
export interface PendingLogin {
  codeVerifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

export class OidcSignInError extends Error {
  override readonly name = 'OidcSignInError';
}

/**
 * Authorization code + PKCE against the configured issuer, entirely on the server: the browser only
 * follows redirects, and the tokens go from the token endpoint straight into the sealed session.
 * openid-client is ESM-only; it is loaded on first use so the rest of the server (and its unit specs)
 * stays CommonJS.
 */
export class OidcSignIn {
  private configuration?: Promise<{ lib: OpenIdClient; config: Configuration }>;

  constructor(
    private readonly options: OidcConfig,
  ) {}

  private async setup(): Promise<{ lib: OpenIdClient; config: Configuration }> {
    this.configuration ??= (async () => {
      const lib = await import('openid-client');
      const config = await lib.discovery(new URL(this.options.issuer), this.options.clientId, this.options.clientSecret, undefined, {
        ...(this.options.allowInsecureIssuer ? { execute: [lib.allowInsecureRequests] } : {}),
      });
      return { lib, config };
    })().catch((e: unknown) => {
      // A failed discovery (issuer down at boot) is retried on the next sign-in, not cached forever.
      this.configuration = undefined;
      throw e;
    });
    return this.configuration;
  }

  async start(redirectUri: string, returnTo: string): Promise<{ url: string; pending: PendingLogin }> {
    const { lib, config } = await this.setup();
    const codeVerifier = lib.randomPKCECodeVerifier();
    const pending: PendingLogin = { codeVerifier, state: lib.randomState(), nonce: lib.randomNonce(), returnTo };
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await lib.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...(this.options.audience ? { resource: this.options.audience } : {}),
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code; the bearer token is the access token when it is a JWT, else the ID token. */
  async finish(callbackUrl: URL, pending: PendingLogin): Promise<{ token: string; principal: Principal; name?: string }> {
    const { lib, config } = await this.setup();
    const tokens = await lib.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = (tokens.claims() ?? {}) as Record<string, unknown>;
    let accessClaims: Record<string, unknown> | undefined;
    try {
      accessClaims = decodeJwt(tokens.access_token) as Record<string, unknown>;
    } catch {
      accessClaims = undefined;
    }
    const token = accessClaims ? tokens.access_token : tokens.id_token;
    if (!token) throw new OidcSignInError('the issuer returned neither a JWT access token nor an ID token');
    const principal = principalFromClaims({ ...idClaims, ...(accessClaims ?? {}) }, this.options.claims);
    const name = typeof idClaims['name'] === 'string' ? idClaims['name'] : undefined;
    return { token, principal, ...(name ? { name } : {}) };
  }
}

/** Maps the issuer's claims to a Pacer principal with the configured claim names (SPEC §7). */
export function principalFromClaims(claims: Record<string, unknown>, names: OidcConfig['claims']): Principal {
  const read = (path: string): unknown => path.split('.').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), claims);
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub === '') throw new OidcSignInError('the token has no sub claim');
  const rawRoles = read(names.roles);
  const list = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/) : [];
  const roles = list.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
  if (roles.length === 0) throw new OidcSignInError(`no Pacer role in the ${names.roles} claim`);
  const tenantId = read(names.tenant);
  if (!roles.includes('operator') && (typeof tenantId !== 'string' || tenantId === '')) {
    throw new OidcSignInError(`the ${names.tenant} claim (tenant) is missing`);
  }
  const repId = read(names.repId);
  const teamId = read(names.teamId);
  return {
    subject: sub,
    tenantId: typeof tenantId === 'string' ? tenantId : '',
    roles,
    ...(typeof repId === 'string' && repId ? { repId } : {}),
    ...(typeof teamId === 'string' && teamId ? { teamId } : {}),
  };
}
