import { createSecretKey, KeyObject } from 'node:crypto';
import { errors, importSPKI, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { Principal, Role, ROLES } from './principal';

export interface JwtOptions {
  /** HS256 shared secret (PACER_JWT_SECRET). */
  secret?: string;
  /** RS256 public key, PEM SPKI (PACER_JWT_PUBLIC_KEY). */
  publicKey?: string;
  issuer?: string;
}

type VerifyKey = KeyObject | Awaited<ReturnType<typeof importSPKI>>;

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

interface PacerClaims extends JWTPayload {
  tid?: unknown;
  roles?: unknown;
  repId?: unknown;
  teamId?: unknown;
}

/**
 * Verifies Pacer bearer tokens: HS256 with the shared secret and/or RS256 with the configured public
 * key. Only those algorithms are accepted, so an `alg: none` or a key-confusion token is refused.
 */
export class JwtVerifier {
  private readonly hmacKey?: KeyObject;
  private rsaKey?: Promise<VerifyKey>;

  constructor(private readonly options: JwtOptions) {
    if (options.secret) {
      this.hmacKey = createSecretKey(Buffer.from(options.secret, 'utf8'));
    }
    if (options.publicKey) {
      this.rsaKey = importSPKI(options.publicKey.replace(/\\n/g, '\n'), 'RS256');
    }
  }

  get configured(): boolean {
    return Boolean(this.hmacKey || this.rsaKey);
  }

  async verify(token: string): Promise<Principal> {
    const alg = headerAlg(token);
    let key: VerifyKey | undefined;
    if (alg === 'HS256') key = this.hmacKey;
    else if (alg === 'RS256') key = await this.rsaKey;
    if (!key) {
      throw new InvalidTokenError(`tokens signed with ${alg ?? 'an unknown algorithm'} are not accepted`);
    }
    let payload: PacerClaims;
    try {
      ({ payload } = await jwtVerify<PacerClaims>(token, key, {
        algorithms: [alg as string],
        issuer: this.options.issuer,
        requiredClaims: ['sub'],
      }));
    } catch (e) {
      const reason = e instanceof errors.JOSEError ? e.message : 'malformed token';
      throw new InvalidTokenError(reason);
    }
    return toPrincipal(payload);
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

function toPrincipal(payload: PacerClaims): Principal {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('sub claim missing');
  if (!Array.isArray(payload.roles)) throw new InvalidTokenError('roles claim missing');
  const roles = payload.roles.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
  if (roles.length === 0) throw new InvalidTokenError('no known role in the roles claim');
  if (roles.includes('operator')) {
    // An operator acts on the platform, never inside a tenant: a token mixing the two is refused.
    if (roles.length > 1) throw new InvalidTokenError('an operator token carries no other role');
    if (payload.tid !== undefined) throw new InvalidTokenError('an operator token carries no tid claim');
    return { subject: payload.sub, tenantId: '', roles };
  }
  if (typeof payload.tid !== 'string' || payload.tid === '') throw new InvalidTokenError('tid claim missing');
  const repId = typeof payload.repId === 'string' && payload.repId !== '' ? payload.repId : undefined;
  const teamId = typeof payload.teamId === 'string' && payload.teamId !== '' ? payload.teamId : undefined;
  if (roles.includes('rep') && roles.length === 1 && !repId) {
    throw new InvalidTokenError('a rep token needs a repId claim');
  }
  if (roles.includes('display')) {
    if (roles.length > 1) throw new InvalidTokenError('a display token carries no other role');
    if (!teamId) throw new InvalidTokenError('a display token needs a teamId claim');
  }
  return { subject: payload.sub, tenantId: payload.tid, roles, ...(repId ? { repId } : {}), ...(teamId ? { teamId } : {}) };
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
