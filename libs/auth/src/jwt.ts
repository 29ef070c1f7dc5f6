import { createSecretKey, KeyObject } from 'node:crypto';
import { decodeJwt, errors, importSPKI, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { InvalidTokenError, principalFromClaims } from './claims';
import { OidcOptions, OidcTokenVerifier } from './oidc';
import { Principal, Role } from './principal';

export { InvalidTokenError } from './claims';

export interface JwtOptions {
  /** HS256 shared secret (PACER_JWT_SECRET). */
  secret?: string;
  /** RS256 public key, PEM SPKI (PACER_JWT_PUBLIC_KEY). */
  publicKey?: string;
  issuer?: string;
  /** Single sign-on (PACER_OIDC_*): tokens whose `iss` is this issuer are verified against its JWKS. */
  oidc?: OidcOptions;
}

type VerifyKey = KeyObject | Awaited<ReturnType<typeof importSPKI>>;

/**
 * Verifies Pacer bearer tokens: an identity provider's (RS256/ES256 against its JWKS, when OIDC is
 * configured and the token's `iss` names that issuer), else Pacer's own: HS256 with the shared secret
 * and/or RS256 with the configured public key. Only those algorithms are accepted, so an `alg: none`
 * or a key-confusion token is refused.
 */
export class JwtVerifier {
  private readonly hmacKey?: KeyObject;
  private rsaKey?: Promise<VerifyKey>;
  /** The identity provider's verifier, when PACER_OIDC_ISSUER is set (readiness asks it for its status). */
  readonly oidc?: OidcTokenVerifier;

  constructor(private readonly options: JwtOptions) {
    if (options.secret) {
      this.hmacKey = createSecretKey(Buffer.from(options.secret, 'utf8'));
    }
    if (options.publicKey) {
      this.rsaKey = importSPKI(options.publicKey.replace(/\\n/g, '\n'), 'RS256');
    }
    if (options.oidc) {
      this.oidc = new OidcTokenVerifier(options.oidc);
    }
  }

  get configured(): boolean {
    return Boolean(this.hmacKey || this.rsaKey || this.oidc);
  }

  async verify(token: string): Promise<Principal> {
    // The unverified `iss` only chooses the verifier; the chosen one checks signature and issuer itself.
    if (this.oidc && unverifiedIssuer(token) === this.oidc.issuer) return this.oidc.verify(token);
    const alg = headerAlg(token);
    let key: VerifyKey | undefined;
    if (alg === 'HS256') key = this.hmacKey;
    else if (alg === 'RS256') key = await this.rsaKey;
    if (!key) {
      throw new InvalidTokenError(`tokens signed with ${alg ?? 'an unknown algorithm'} are not accepted`);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [alg as string],
        issuer: this.options.issuer,
        requiredClaims: ['sub'],
      }));
    } catch (e) {
      const reason = e instanceof errors.JOSEError ? e.message : 'malformed token';
      throw new InvalidTokenError(reason);
    }
    return principalFromClaims(payload);
  }
}

function unverifiedIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

function headerAlg(token: string): string | undefined {
  const [head] = token.split('.');
  try {
    const parsed = JSON.parse(Buffer.from(head ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof parsed.alg === 'string' ? parsed.alg : undefined;
  } catch {
    return undefined;
  }
}

/** Signs an HS256 development token (the `pacer token` CLI and tests use it). */
export async function mintToken(options: {
  secret: string;
  /** Omitted (or empty) only for an `operator` token. */
  tenantId?: string;
  roles: Role[];
  repId?: string;
  teamId?: string;
  subject?: string;
  expiresIn?: string;
  issuer?: string;
}): Promise<string> {
  const jwt = new SignJWT({
    ...(options.tenantId ? { tid: options.tenantId } : {}),
    roles: options.roles,
    ...(options.repId ? { repId: options.repId } : {}),
    ...(options.teamId ? { teamId: options.teamId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject ?? options.repId ?? 'dev')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt.setIssuer(options.issuer);
  return jwt.sign(createSecretKey(Buffer.from(options.secret, 'utf8')));
}
