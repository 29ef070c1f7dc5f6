import type { Configuration } from 'openid-client';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { InvalidTokenError, Principal, principalFromClaims as claimsToPrincipal } from '@pacer/auth';
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

/** The issuer did not answer (down, timed out, a gateway error): worth retrying, unlike a refusal. */
export class OidcIssuerUnavailableError extends Error {
  override readonly name = 'OidcIssuerUnavailableError';
}

/** openid-client's codes for an issuer that did not answer properly (as opposed to one that said no). */
const UNANSWERED = new Set(['OAUTH_TIMEOUT', 'OAUTH_ABORT', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

/**
 * Authorization code + PKCE against the configured issuer, entirely on the server: the browser only
 * follows redirects, and the tokens go from the token endpoint straight into the sealed session.
 * openid-client is ESM-only; it is loaded on first use so the rest of the server (and its unit specs)
 * stays CommonJS.
 */
export class OidcSignIn {
  private configuration?: Promise<{ lib: OpenIdClient; config: Configuration }>;
  private issuerKeys?: ReturnType<typeof createRemoteJWKSet>;

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
      throw new OidcIssuerUnavailableError(`the issuer ${this.options.issuer} did not answer its discovery document`, { cause: e });
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

  /**
   * Exchanges the code. With an audience configured the bearer token must be the issuer's JWT access
   * token for it (verified here as the services will verify it, so a sign-in never yields a session the
   * APIs refuse); without one it is the access token when that is a JWT, else the ID token.
   */
  async finish(callbackUrl: URL, pending: PendingLogin): Promise<{ token: string; principal: Principal; name?: string }> {
    const { lib, config } = await this.setup();
    const { audience } = this.options;
    let tokens: Awaited<ReturnType<OpenIdClient['authorizationCodeGrant']>>;
    try {
      tokens = await lib.authorizationCodeGrant(
        config,
        callbackUrl,
        { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
        // RFC 8707: the resource is named again at the token endpoint, or an issuer that supports
        // resource indicators (oidc-provider does) answers with a token for its userinfo endpoint.
        audience ? { resource: audience } : undefined,
      );
    } catch (e) {
      if (unanswered(lib, e)) throw new OidcIssuerUnavailableError('the issuer did not answer the code exchange', { cause: e });
      const reason = protocolRefusal(lib, e);
      if (reason === undefined) throw e;
      throw new OidcSignInError(reason, { cause: e });
    }
    const idClaims = (tokens.claims() ?? {}) as Record<string, unknown>;
    let accessClaims: Record<string, unknown> | undefined;
    if (audience) {
      accessClaims = await this.verifyAccessToken(config, tokens.access_token, audience);
    } else {
      try {
        accessClaims = decodeJwt(tokens.access_token) as Record<string, unknown>;
      } catch {
        accessClaims = undefined;
      }
    }
    const token = accessClaims ? tokens.access_token : tokens.id_token;
    if (!token) throw new OidcSignInError('the issuer returned neither a JWT access token nor an ID token');
    if (accessClaims && accessClaims['sub'] !== undefined && accessClaims['sub'] !== idClaims['sub']) {
      throw new OidcSignInError('the access token and the ID token name different people');
    }
    const principal = principalFromClaims({ ...idClaims, ...(accessClaims ?? {}) }, this.options.claims);
    const name = typeof idClaims['name'] === 'string' ? idClaims['name'] : undefined;
    return { token, principal, ...(name ? { name } : {}) };
  }

  private async verifyAccessToken(config: Configuration, accessToken: string, audience: string): Promise<Record<string, unknown>> {
    const metadata = config.serverMetadata();
    if (!metadata.jwks_uri) throw new OidcSignInError('the issuer publishes no jwks_uri to verify its access tokens with');
    this.issuerKeys ??= createRemoteJWKSet(new URL(metadata.jwks_uri));
    try {
      const { payload } = await jwtVerify(accessToken, this.issuerKeys, { issuer: metadata.issuer, audience });
      return payload as Record<string, unknown>;
    } catch (e) {
      if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'aud') {
        throw new OidcSignInError(`the access token is not for the audience ${audience} (PACER_OIDC_AUDIENCE)`, { cause: e });
      }
      if (e instanceof joseErrors.JWKSTimeout || !(e instanceof joseErrors.JOSEError)) {
        // jose reports a JWKS it could not fetch as a timeout or as the socket's own error.
        throw new OidcIssuerUnavailableError('the issuer did not answer for its signing keys (jwks_uri)', { cause: e });
      }
      throw new OidcSignInError(`the access token is not a JWT of the issuer for ${audience}: ${e.message}`, { cause: e });
    }
  }
}

/** A network failure (fetch's TypeError) or an answer that is no OAuth answer at all (a 502 page). */
function unanswered(lib: OpenIdClient, e: unknown): boolean {
  return (e instanceof TypeError && e.message === 'fetch failed') || (e instanceof lib.ClientError && UNANSWERED.has(e.code ?? ''));
}

/**
 * Why the issuer or a protocol check (state, nonce, ID token) refused the sign-in, in words safe to
 * show the person (no token in them); undefined for anything else, such as the issuer being down.
 */
function protocolRefusal(lib: OpenIdClient, e: unknown): string | undefined {
  if (e instanceof lib.AuthorizationResponseError) return `the issuer answered ${e.error}${e.error_description ? `: ${e.error_description}` : ''}`;
  if (e instanceof lib.ResponseBodyError) return `the issuer refused the code (${e.error})`;
  if (e instanceof lib.ClientError && e.code?.startsWith('OAUTH_')) {
    // openid-client says only "invalid response encountered"; the check that failed is in the cause.
    return `the issuer's answer was refused: ${e.cause instanceof Error ? e.cause.message : e.message}`;
  }
  return undefined;
}

/**
 * Maps the issuer's claims to a Pacer principal with the configured claim names (SPEC §7), by the
 * services' own rule (libs/auth), so a sign-in never yields a session whose token they would refuse.
 */
export function principalFromClaims(claims: Record<string, unknown>, names: OidcConfig['claims']): Principal {
  try {
    return claimsToPrincipal(claims, names);
  } catch (e) {
    if (e instanceof InvalidTokenError) throw new OidcSignInError(e.message, { cause: e });
    throw e;
  }
}
