import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from 'jose';
import { ClaimNames, InvalidTokenError, principalFromClaims } from './claims';
import { Principal } from './principal';

/** The signature algorithms accepted from an identity provider (asymmetric only: no shared secret). */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;

export interface OidcOptions {
  /** PACER_OIDC_ISSUER, exactly as the issuer writes it in `iss` and its discovery document. */
  issuer: string;
  /** PACER_OIDC_AUDIENCE: a token's `aud` must contain one of these. */
  audiences: string[];
  claims: ClaimNames;
  /** PACER_OIDC_CLOCK_SKEW_SECONDS: tolerance on `exp`, `nbf` and `iat`. */
  clockSkewSeconds: number;
  /** An http:// issuer (tests, a local identity provider); config refuses it in production. */
  allowInsecureIssuer?: boolean;
  /** Least time between two JWKS fetches that an unknown `kid` triggers (default 30 s). */
  jwksCooldownMs?: number;
  /** Least time between two discovery attempts after one failed (default 5 s). */
  discoveryRetryMs?: number;
  /** Budget of one discovery or JWKS request (default 5 s). */
  timeoutMs?: number;
}

/** The issuer did not answer (discovery or JWKS): a request is 503 and readiness says why, not 401. */
export class IssuerUnavailableError extends Error {
  override readonly name = 'IssuerUnavailableError';
}

interface Discovered {
  issuer: string;
  jwksUri: URL;
  keys: ReturnType<typeof createRemoteJWKSet>;
}

/** What readiness reports about the issuer. */
export type IssuerStatus = { up: true; jwksUri: string } | { up: false; reason: string };

/**
 * Verifies access tokens of one OpenID Connect issuer. The discovery document is fetched once (and,
 * while it fails, again at most every `discoveryRetryMs`, on the next request or readiness probe); the
 * JWKS is jose's remote key set: cached for 10 minutes, and a token whose `kid` is not in the cached
 * set triggers one refetch unless the last fetch is younger than `jwksCooldownMs` (then the token is
 * refused), so rotated keys are picked up without letting unknown kids hammer the issuer.
 */
export class OidcTokenVerifier {
  private discovered?: Discovered;
  private pending?: Promise<Discovered>;
  private lastFailure?: { at: number; error: IssuerUnavailableError };

  constructor(
    readonly options: OidcOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (options.audiences.length === 0) throw new Error('an OIDC verifier needs at least one audience');
  }

  get issuer(): string {
    return this.options.issuer;
  }

  /** Discovers the issuer if that has not succeeded yet; never throws. */
  async status(): Promise<IssuerStatus> {
    try {
      const d = await this.discover();
      return { up: true, jwksUri: d.jwksUri.href };
    } catch (e) {
      return { up: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  async verify(token: string): Promise<Principal> {
    const { issuer, keys } = await this.discover();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience: this.options.audiences,
        algorithms: [...OIDC_ALGORITHMS],
        clockTolerance: this.options.clockSkewSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (e) {
      // jose reports a JWKS it could not fetch as a timeout or as the socket's own (non-JOSE) error.
      if (e instanceof errors.JWKSTimeout || !(e instanceof errors.JOSEError)) {
        throw new IssuerUnavailableError(`the issuer ${this.options.issuer} did not answer for its signing keys (${describe(e)})`, { cause: e });
      }
      if (e instanceof errors.JWKSNoMatchingKey) {
        throw new InvalidTokenError('no signing key of the issuer matches the token (an unknown kid is looked up again at most every few seconds)');
      }
      if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'aud') {
        throw new InvalidTokenError(`the token is not for this API (aud must be ${this.options.audiences.join(' or ')})`);
      }
      throw new InvalidTokenError(e.message);
    }
    return principalFromClaims(payload, this.options.claims);
  }

  private discover(): Promise<Discovered> {
    if (this.discovered) return Promise.resolve(this.discovered);
    if (this.pending) return this.pending;
    const retryMs = this.options.discoveryRetryMs ?? 5_000;
    if (this.lastFailure && this.now() - this.lastFailure.at < retryMs) return Promise.reject(this.lastFailure.error);
    this.pending = this.fetchDiscovery()
      .then((d) => {
        this.discovered = d;
        this.lastFailure = undefined;
        return d;
      })
      .catch((e: unknown) => {
        const error = e instanceof IssuerUnavailableError ? e : new IssuerUnavailableError(String(e), { cause: e });
        this.lastFailure = { at: this.now(), error };
        throw error;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async fetchDiscovery(): Promise<Discovered> {
    const { issuer } = this.options;
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const failed = (why: string, cause?: unknown): IssuerUnavailableError =>
      new IssuerUnavailableError(`the discovery document of the issuer ${issuer} (${url}) ${why}`, { cause });
    let document: unknown;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000), headers: { accept: 'application/json' } });
      if (!res.ok) throw failed(`answered HTTP ${res.status}`);
      document = await res.json();
    } catch (e) {
      if (e instanceof IssuerUnavailableError) throw e;
      throw failed(`could not be fetched: ${describe(e)}`, e);
    }
    const metadata = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
    // OpenID Connect Discovery §4.3: the document's issuer must be exactly the one configured.
    if (metadata['issuer'] !== issuer) {
      throw failed(`names the issuer ${JSON.stringify(metadata['issuer'])}; PACER_OIDC_ISSUER must be exactly that`);
    }
    const rawJwksUri = metadata['jwks_uri'];
    const jwksUri = typeof rawJwksUri === 'string' && URL.canParse(rawJwksUri) ? new URL(rawJwksUri) : undefined;
    if (!jwksUri) throw failed('has no valid jwks_uri');
    if (jwksUri.protocol !== 'https:' && !(this.options.allowInsecureIssuer && jwksUri.protocol === 'http:')) {
      throw failed(`names a jwks_uri that is not https: ${jwksUri.href}`);
    }
    const keys = createRemoteJWKSet(jwksUri, {
      cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
      timeoutDuration: this.options.timeoutMs ?? 5_000,
    });
    return { issuer, jwksUri, keys };
  }
}

/** A fetch failure's own words: undici hides the socket error (ECONNREFUSED...) in `cause`. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? `: ${(e.cause as Error & { code?: string }).code ?? e.cause.message}` : '';
  return `${e.message}${cause}`;
}
