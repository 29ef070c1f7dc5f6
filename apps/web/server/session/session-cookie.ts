import { createHash } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt } from 'jose';
import type { Principal, Role } from '@pacer/auth';

/** What a signed-in browser carries, sealed: the bearer token the services need and who it proves. */
export interface SessionData {
  /** The bearer token forwarded to the services. Never reaches the browser's JavaScript. */
  token: string;
  principal: Principal;
  /** Display name for the header of the app, when the sign-in knew one. */
  name?: string;
  /** How the session was made: `dev` tokens are re-verified with the JWT key on every request. */
  via: 'dev' | 'oidc';
}

export const SESSION_COOKIE = 'pacer_session';

/**
 * Seals and opens the session cookie: a JWE (dir + A256GCM) under a key derived from
 * PACER_WEB_SESSION_SECRET. Encryption rather than a server-side store keeps the BFF stateless, so any
 * replica serves any browser; GCM authenticates it, so a tampered cookie is simply no session.
 */
export class SessionSealer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    // The secret is a passphrase of any length; A256GCM needs exactly 32 bytes.
    this.key = new Uint8Array(createHash('sha256').update(`pacer-web-session:${secret}`).digest());
  }

  seal(session: SessionData, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new EncryptJWT({ s: session })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .encrypt(this.key);
  }

  /** The session in `cookie`, or undefined when it is missing, expired, tampered with or malformed. */
  async open(cookie: string | undefined, now = new Date()): Promise<SessionData | undefined> {
    if (!cookie) return undefined;
    try {
      const { payload } = await jwtDecrypt(cookie, this.key, { currentDate: now });
      return asSession(payload['s']);
    } catch (e) {
      if (e instanceof errors.JOSEError || e instanceof TypeError) return undefined;
      throw e;
    }
  }

  get maxAgeMs(): number {
    return this.ttlSeconds * 1000;
  }
}

function asSession(value: unknown): SessionData | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  const p = s['principal'] as Record<string, unknown> | undefined;
  if (typeof s['token'] !== 'string' || (s['via'] !== 'dev' && s['via'] !== 'oidc') || typeof p !== 'object' || p === null) return undefined;
  if (typeof p['subject'] !== 'string' || typeof p['tenantId'] !== 'string' || !Array.isArray(p['roles'])) return undefined;
  const principal: Principal = {
    subject: p['subject'],
    tenantId: p['tenantId'],
    roles: p['roles'].filter((r): r is Role => typeof r === 'string'),
    ...(typeof p['repId'] === 'string' ? { repId: p['repId'] } : {}),
    ...(typeof p['teamId'] === 'string' ? { teamId: p['teamId'] } : {}),
  };
  return { token: s['token'], principal, via: s['via'], ...(typeof s['name'] === 'string' ? { name: s['name'] } : {}) };
}
