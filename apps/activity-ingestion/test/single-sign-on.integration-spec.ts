import { decodeJwt, decodeProtectedHeader } from 'jose';
import { mintToken } from '@pacer/auth';
import { ActivityIngestionService } from '../src/app.module';
import { freePort, newKeySet, pollUntil, RunningService, startTestService, TEST_JWT_SECRET, TestOpenIdProvider, uniqueName } from '@pacer/testing';

// Bearer tokens of a real OpenID provider (oidc-provider, in this process) accepted by a real service
// endpoint (activity-ingestion's GET /v1/activities) through OIDC discovery and the issuer's JWKS, with
// Keycloak's claim layout: roles nested in realm_access.roles beside the issuer's own roles.

const API = 'https://api.pacer.example.com';
const OTHER_API = 'https://another-api.example.com';
const SKEW_SECONDS = 3;
const JWKS_COOLDOWN_SECONDS = 2;

function oidcEnv(issuer: string): Record<string, string> {
  return {
    PACER_OIDC_ISSUER: issuer,
    PACER_OIDC_DISCOVERY_INSECURE: 'true',
    PACER_OIDC_AUDIENCE: API,
    PACER_OIDC_CLAIM_TENANT: 'pacer_tenant',
    PACER_OIDC_CLAIM_ROLES: 'realm_access.roles',
    PACER_OIDC_CLAIM_REP_ID: 'pacer_rep_id',
    PACER_OIDC_CLAIM_TEAM_ID: 'pacer_team_id',
    PACER_OIDC_CLOCK_SKEW_SECONDS: String(SKEW_SECONDS),
    PACER_OIDC_JWKS_COOLDOWN_SECONDS: String(JWKS_COOLDOWN_SECONDS),
  };
}

async function call(baseUrl: string, token: string, path = '/v1/activities'): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, retryAfter: res.headers.get('retry-after') };
}

describe('single sign-on: tokens of an OpenID provider at a service', () => {
  const tenant = uniqueName('sso');
  const bi = { pacer_tenant: tenant, realm_access: { roles: ['default-roles-pacer', 'offline_access', 'bi'] } };
  let provider: TestOpenIdProvider;
  let svc: RunningService;

  beforeAll(async () => {
    provider = new TestOpenIdProvider(await freePort(), [API, OTHER_API]);
    await provider.start(await newKeySet('first'));
    svc = await startTestService(ActivityIngestionService, oidcEnv(provider.issuer));
  });
  afterAll(async () => {
    await svc?.close();
    await provider?.stop();
  });

  it('accepts an ES256 and an RS256 access token for its audience, mapping the configured claims; readiness reports the issuer', async () => {
    const es = await provider.token(API, { claims: bi, alg: 'ES256' });
    expect(decodeProtectedHeader(es).alg).toBe('ES256');
    expect(decodeJwt(es)).toMatchObject({ iss: provider.issuer, aud: API });
    expect(await call(svc.baseUrl, es)).toMatchObject({ status: 200, body: { items: [] } });
    const rs = await provider.token(API, { claims: bi, alg: 'RS256' });
    expect(decodeProtectedHeader(rs).alg).toBe('RS256');
    expect((await call(svc.baseUrl, rs)).status).toBe(200);

    const ready = await fetch(`${svc.baseUrl}/health/ready`);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: 'up', kafka: 'up', oidc: 'up' } });
    // Pacer's own development tokens keep working beside the issuer's.
    expect((await call(svc.baseUrl, await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['bi'] }))).status).toBe(200);
  });

  it('maps roles to rights: a rep-only token names its rep, a display token its team (and reaches no ingestion route)', async () => {
    const rep = await provider.token(API, { claims: { pacer_tenant: tenant, realm_access: { roles: ['rep'] }, pacer_rep_id: 'rep-sso' } });
    expect((await call(svc.baseUrl, rep)).status).toBe(200);
    const repWithoutRepId = await provider.token(API, { claims: { pacer_tenant: tenant, realm_access: { roles: ['rep'] } } });
    expect(await call(svc.baseUrl, repWithoutRepId)).toMatchObject({ status: 401, body: { detail: expect.stringContaining('pacer_rep_id') } });
    const display = await provider.token(API, { claims: { pacer_tenant: tenant, realm_access: { roles: ['display'] }, pacer_team_id: 'team-tv' } });
    // 403, not 401: the token was verified and mapped to a display principal, which only its routes admit.
    expect(await call(svc.baseUrl, display)).toMatchObject({ status: 403, body: { detail: expect.stringContaining('display') } });
  });

  it('refuses a token of the issuer minted for another audience, and a token claiming the issuer but signed with the shared secret', async () => {
    const foreign = await provider.token(OTHER_API, { claims: bi });
    expect(decodeJwt(foreign).aud).toBe(OTHER_API);
    expect(await call(svc.baseUrl, foreign)).toMatchObject({ status: 401, body: { type: 'urn:pacer:problem:unauthorized', detail: expect.stringContaining('aud') } });
    const confused = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['bi'], issuer: provider.issuer });
    expect((await call(svc.baseUrl, confused)).status).toBe(401);
  });

  it(`tolerates an expired token for PACER_OIDC_CLOCK_SKEW_SECONDS (${SKEW_SECONDS} s) and refuses it after`, async () => {
    const token = await provider.token(API, { claims: bi, ttlSeconds: 1 });
    const expMs = (decodeJwt(token).exp ?? 0) * 1000;
    // Past its exp, inside the tolerance: accepted.
    await pollUntil(() => Date.now(), (now) => now > expMs + 500, { timeoutMs: 5_000, intervalMs: 50, what: 'the token to expire' });
    const late = await call(svc.baseUrl, token);
    expect([late.status, Date.now() - expMs < SKEW_SECONDS * 1000]).toEqual([200, true]);
    // Past the tolerance: refused, and never before it.
    const refused = await pollUntil(
      async () => ({ res: await call(svc.baseUrl, token), at: Date.now() }),
      ({ res }) => res.status !== 200,
      { timeoutMs: (SKEW_SECONDS + 5) * 1000, intervalMs: 200, what: 'the expired token to be refused' },
    );
    expect(refused.res).toMatchObject({ status: 401, body: { detail: expect.stringContaining('exp') } });
    expect(refused.at - expMs).toBeGreaterThanOrEqual(SKEW_SECONDS * 1000 - 1000);
  });

  it('picks up a rotated key set: an unknown kid triggers one JWKS refetch, at most one per cooldown', async () => {
    const before = await provider.token(API, { claims: bi });
    expect((await call(svc.baseUrl, before)).status).toBe(200);
    // The issuer restarts with new keys only: the old kid is gone, the service's cached set knows no new one.
    await provider.start(await newKeySet('second'));
    const rotated = await provider.token(API, { claims: bi });
    expect(decodeProtectedHeader(rotated).kid).toBe('second-ec');
    const accepted = await pollUntil(() => call(svc.baseUrl, rotated), (r) => r.status === 200, {
      timeoutMs: (JWKS_COOLDOWN_SECONDS + 5) * 1000,
      intervalMs: 100,
      what: 'the rotated key to be picked up',
    });
    expect(accepted.status).toBe(200);
    // Polling every 100 ms inside a 2 s cooldown still fetched the new set only once.
    expect(provider.jwksFetches).toBe(1);
    // A token of the retired key is now refused.
    expect(await call(svc.baseUrl, before)).toMatchObject({ status: 401, body: { detail: expect.stringContaining('no signing key') } });

    // A burst of tokens naming kids the issuer never had fetches at most once per cooldown.
    const fetchesBefore = provider.jwksFetches;
    const [, payload, signature] = rotated.split('.') as [string, string, string];
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const forgedHeader = Buffer.from(JSON.stringify({ ...decodeProtectedHeader(rotated), kid: `unknown-${i}` })).toString('base64url');
      expect((await call(svc.baseUrl, `${forgedHeader}.${payload}.${signature}`)).status).toBe(401);
    }
    const cooldowns = Math.floor((Date.now() - started) / (JWKS_COOLDOWN_SECONDS * 1000)) + 1;
    expect(provider.jwksFetches - fetchesBefore).toBeLessThanOrEqual(cooldowns);
  });
});

describe('single sign-on: an issuer that is down when the service boots', () => {
  let provider: TestOpenIdProvider;
  let svc: RunningService;

  beforeAll(async () => {
    provider = new TestOpenIdProvider(await freePort(), [API]);
    svc = await startTestService(ActivityIngestionService, oidcEnv(provider.issuer));
  });
  afterAll(async () => {
    await svc?.close();
    await provider?.stop();
  });

  it('boots, says so at /health/ready, answers its tokens 503 with Retry-After, and recovers once the issuer answers', async () => {
    const ready = await fetch(`${svc.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors).toEqual([{ path: 'oidc', message: expect.stringMatching(/discovery document of the issuer .* could not be fetched/) }]);
    // A token of the issuer cannot be checked while it is down: unavailable, not unauthorized.
    const keys = await newKeySet('late');
    await provider.start(keys);
    const token = await provider.token(API, { claims: { pacer_tenant: 't-late', realm_access: { roles: ['bi'] } } });
    await provider.stop();
    const down = await call(svc.baseUrl, token);
    expect(down).toMatchObject({ status: 503, body: { type: 'urn:pacer:problem:dependency-unavailable' } });
    expect(Number(down.retryAfter)).toBeGreaterThan(0);
    // Tokens of Pacer's own keys are not held up by the issuer.
    expect((await call(svc.baseUrl, await mintToken({ secret: TEST_JWT_SECRET, tenantId: 't-late', roles: ['bi'] }))).status).toBe(200);

    await provider.start(keys);
    await pollUntil(() => fetch(`${svc.baseUrl}/health/ready`).then((r) => r.status), (s) => s === 200, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'readiness once the issuer answers',
    });
    expect((await call(svc.baseUrl, token)).status).toBe(200);
  });
});
