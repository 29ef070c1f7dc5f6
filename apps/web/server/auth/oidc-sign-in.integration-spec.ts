import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest, Server } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, JWK } from 'jose';
import { freePort, pollUntil, testBrokers } from '@pacer/testing';
import { SESSION_COOKIE, SessionSealer } from '../session/session-cookie';

// Sign-in through a real OpenID provider (oidc-provider, in this process, over HTTPS with its own
// RS256 + ES256 keys) into the web server started as in production (NODE_ENV=production, its own
// process, the issuer's certificate trusted through NODE_EXTRA_CA_CERTS as a private CA would be).
// The browser is played by plain HTTP requests with a cookie jar and manual redirects, so every hop
// (login, authorize, interaction, callback) is visible to the assertions.

const ROOT = path.resolve(__dirname, '../../../..');
const CLIENT_ID = 'pacer-web';
const CLIENT_SECRET = 'pacer-web-client-secret-for-the-oidc-test';
const SESSION_SECRET = 'oidc-sign-in-test-session-secret-0123456789';
const API_AUDIENCE = 'https://api.pacer.example.com';
// Claim names as three kinds of issuer spell them: a namespaced URL (Auth0-style custom claims, dots
// inside the name), a nested Keycloak realm role list, and a plain custom attribute.
const CLAIM_TENANT = 'https://pacer.example.com/tenant';
const CLAIM_ROLES = 'realm_access.roles';
const CLAIM_REP_ID = 'pacer_rep_id';
const ACCOUNT = {
  sub: '00u1ada-okta',
  name: 'Ada Lovelace',
  email: 'ada@acme.example.com',
  tenant: 'acme-sso',
  roles: ['default-roles-pacer', 'manager', 'rep'],
  repId: 'rep-ada',
};

/** The slice of oidc-provider's (untyped, ESM) API this test uses. */
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => OidcGrant;
}
interface OidcGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(indicator: string, scope: string): void;
  save(): Promise<string>;
}
interface InteractionDetails {
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> } };
  params: Record<string, unknown>;
  session?: { accountId: string };
}
interface OidcProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: { InvalidTarget: new (description?: string) => Error };
}

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  url: URL;
}

/** Cookies per origin, as the browser keeps them (paths are ignored: every hop here is a GET to a page that wants them). */
class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: URL): string {
    return [...(this.jars.get(url.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: URL, setCookie: string[] | undefined): void {
    const jar = this.jars.get(url.origin) ?? new Map<string, string>();
    this.jars.set(url.origin, jar);
    for (const line of setCookie ?? []) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  drop(url: URL, name: string): void {
    this.jars.get(url.origin)?.delete(name);
  }
}

describe('single sign-on through a real OpenID provider', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'pacer-oidc-'));
  const certFile = path.join(tmp, 'issuer.crt');
  let cert: string;
  let issuerServer: Server;
  let issuer: string;
  let web: ChildProcess;
  let webBase: string;
  let webLog = '';
  /** Flipped by one test: the provider then mints access tokens for another API. */
  let foreignAudience = false;

  function send(url: URL, jar: CookieJar, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const cookie = jar.header(url);
    const headers = { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) };
    return new Promise((resolve, reject) => {
      const options = { method: init.method ?? 'GET', headers, ...(url.protocol === 'https:' ? { ca: cert } : {}) };
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          jar.store(url, res.headers['set-cookie']);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), url });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /**
   * Follows redirects from `start` like a browser until the next hop would be the web app's callback;
   * returns that callback URL without requesting it, so a test can send it as it is or tampered with.
   */
  async function browseToCallback(start: URL, jar: CookieJar): Promise<URL> {
    let url = start;
    for (let hop = 0; hop < 12; hop++) {
      const reply = await send(url, jar);
      const location = reply.headers.location;
      if (reply.status < 300 || reply.status >= 400 || !location) {
        throw new Error(`expected a redirect from ${url.href}, got ${reply.status}: ${reply.body.slice(0, 300)}`);
      }
      url = new URL(location, url);
      if (url.origin === webBase && url.pathname === '/auth/callback') return url;
    }
    throw new Error('too many redirects before the callback');
  }

  /** `GET /auth/login` up to the callback URL the provider sends the browser back with. */
  async function signInUntilCallback(jar: CookieJar, returnTo = '/manager'): Promise<URL> {
    return browseToCallback(new URL(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`, webBase), jar);
  }

  beforeAll(async () => {
    // A self-signed certificate for 127.0.0.1: production only accepts an https:// issuer.
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(tmp, 'issuer.key'), '-out', certFile,
    ], { stdio: 'pipe' });
    cert = readFileSync(certFile, 'utf8');

    const [rsa, ec] = await Promise.all([generateKeyPair('RS256', { extractable: true }), generateKeyPair('ES256', { extractable: true })]);
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.privateKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.privateKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];

    const issuerPort = await freePort();
    const webPort = await freePort();
    issuer = `https://127.0.0.1:${issuerPort}`;
    webBase = `http://127.0.0.1:${webPort}`;

    // oidc-provider is ESM-only and jest's module system is CommonJS: load it with Node's own require
    // (require(esm), Node ≥ 20.19), outside jest's registry.
    const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);
    const { default: Provider, errors } = nodeRequire('oidc-provider') as OidcProviderModule;
    // Jest runs this file in its own realm; oidc-provider merges its configuration only into objects
    // whose prototype is its realm's Object.prototype, so the configuration is copied over there.
    const intoNodeRealm = process.getBuiltinModule('node:vm').runInThisContext(
      '(function copy(v) { if (Array.isArray(v)) return v.map(copy); if (v && typeof v === "object" && v.constructor && v.constructor.name === "Object") { const o = {}; for (const k of Object.keys(v)) o[k] = copy(v[k]); return o; } return v; })',
    ) as <T>(value: T) => T;
    const pacerClaims = { [CLAIM_TENANT]: ACCOUNT.tenant, realm_access: { roles: ACCOUNT.roles }, [CLAIM_REP_ID]: ACCOUNT.repId };
    const provider = new Provider(issuer, intoNodeRealm({
      clients: [{
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${webBase}/auth/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
      }],
      jwks: { keys },
      cookies: { keys: ['oidc-sign-in-test-cookie-key'] },
      pkce: { methods: ['S256'], required: () => true },
      // Custom claims ride on the profile scope into the ID token, as Keycloak mappers and Okta claims do.
      claims: { openid: ['sub'], profile: ['name', CLAIM_TENANT, 'realm_access', CLAIM_REP_ID], email: ['email'] },
      conformIdTokenClaims: false,
      findAccount: (_ctx: unknown, sub: string) =>
        sub === ACCOUNT.sub ? intoNodeRealm({ accountId: sub, claims: () => intoNodeRealm({ sub, name: ACCOUNT.name, email: ACCOUNT.email, ...pacerClaims }) }) : undefined,
      extraTokenClaims: (_ctx: unknown, token: { kind: string; accountId?: string }) => (token.kind === 'AccessToken' && token.accountId === ACCOUNT.sub ? intoNodeRealm(pacerClaims) : undefined),
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          getResourceServerInfo: (_ctx: unknown, indicator: string) => {
            if (indicator !== API_AUDIENCE) throw new errors.InvalidTarget();
            return intoNodeRealm({
              scope: 'pacer',
              audience: foreignAudience ? 'https://another-api.example.com' : API_AUDIENCE,
              accessTokenFormat: 'jwt',
              accessTokenTTL: 600,
              jwt: { sign: { alg: 'ES256' } },
            });
          },
        },
      },
    }));
    const handle = provider.callback();
    issuerServer = createHttpsServer({ key: readFileSync(path.join(tmp, 'issuer.key')), cert }, (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return handle(req, res);
      // The person's side of the provider: this account signs in and consents at once (a real
      // provider shows forms here; the protocol around them is what is under test).
      void (async () => {
        const { prompt, params, session } = await provider.interactionDetails(req, res);
        if (prompt.name === 'login') {
          return provider.interactionFinished(req, res, { login: { accountId: ACCOUNT.sub } }, { mergeWithLastSubmission: false });
        }
        const grant = new provider.Grant({ accountId: session?.accountId ?? '', clientId: String(params['client_id']) });
        if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
        if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
        return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      })().catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => issuerServer.listen(issuerPort, '127.0.0.1', resolve));

    web = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/web/server/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'production',
        NODE_EXTRA_CA_CERTS: certFile,
        PORT: String(webPort),
        PACER_WEB_PUBLIC_URL: webBase,
        PACER_WEB_SESSION_SECRET: SESSION_SECRET,
        PACER_WEB_STATIC_DIR: path.join(tmp, 'no-app'),
        KAFKA_BROKERS: testBrokers().join(','),
        PACER_OIDC_ISSUER: issuer,
        PACER_OIDC_CLIENT_ID: CLIENT_ID,
        PACER_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        PACER_OIDC_AUDIENCE: API_AUDIENCE,
        PACER_OIDC_CLAIM_TENANT: CLAIM_TENANT,
        PACER_OIDC_CLAIM_ROLES: CLAIM_ROLES,
        PACER_OIDC_CLAIM_REP_ID: CLAIM_REP_ID,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    web.stdout?.on('data', (d: Buffer) => (webLog += d.toString()));
    web.stderr?.on('data', (d: Buffer) => (webLog += d.toString()));
    await pollUntil(
      async () => {
        if (web.exitCode !== null) throw new Error(`web exited ${web.exitCode}: ${webLog}`);
        return (await send(new URL('/health/live', webBase), new CookieJar())).status;
      },
      (status) => status === 200,
      { timeoutMs: 60_000, intervalMs: 250, what: 'the web server to listen' },
    );
  }, 120_000);

  afterAll(async () => {
    if (web && web.exitCode === null) {
      const exited = new Promise((resolve) => web.once('exit', resolve));
      web.kill('SIGTERM');
      // Its own shutdown leaves Kafka within seconds; a stuck one must not keep the suite alive.
      const force = setTimeout(() => web.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    }
    if (issuerServer?.listening) await new Promise((resolve) => issuerServer.close(resolve));
    rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  afterEach(() => {
    foreignAudience = false;
  });

  it('signs a person in: login → authorize → consent → callback → a session with the configured claims', async () => {
    const jar = new CookieJar();
    const login = await send(new URL('/auth/login?returnTo=/manager', webBase), jar);
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.location ?? '');
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('resource')).toBe(API_AUDIENCE);

    const callback = await browseToCallback(authorize, jar);
    expect(callback.searchParams.get('code')).toBeTruthy();
    const done = await send(callback, jar);
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/manager');
    const sessionCookie = (done.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/Secure/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);

    const session = await send(new URL('/api/session', webBase), jar);
    expect(session.status).toBe(200);
    expect(JSON.parse(session.body)).toEqual({
      principal: { subject: ACCOUNT.sub, tenantId: ACCOUNT.tenant, roles: ['manager', 'rep'], repId: ACCOUNT.repId, name: ACCOUNT.name },
    });

    // The token the services will receive is the issuer's ES256 access token for the API audience.
    const sealed = await new SessionSealer(SESSION_SECRET, 60).open(/^[^=]+=([^;]*)/.exec(sessionCookie)?.[1]);
    expect(sealed?.via).toBe('oidc');
    const token = sealed?.token ?? '';
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
    expect(decodeJwt(token)).toMatchObject({ iss: issuer, aud: API_AUDIENCE, sub: ACCOUNT.sub, [CLAIM_TENANT]: ACCOUNT.tenant });
  }, 30_000);

  it('answers /api/session without the cookie with 401 problem+json', async () => {
    const res = await send(new URL('/api/session', webBase), new CookieJar());
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('has no development sign-in in production', async () => {
    const res = await send(new URL('/api/dev/sign-in', webBase), new CookieJar(), { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
  });

  it('refuses a callback whose state was tampered with, and starts no session', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(jar);
    callback.searchParams.set('state', 'forged-state');
    const res = await send(callback, jar);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 401, detail: expect.stringMatching(/"state"/) });
    expect((await send(new URL('/api/session', webBase), jar)).status).toBe(401);
  }, 30_000);

  it('refuses a callback without the PKCE verifier (no login cookie), and starts no session', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(jar);
    jar.drop(new URL(webBase), 'pacer_login');
    const res = await send(callback, jar);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await send(new URL('/api/session', webBase), jar)).status).toBe(401);
  }, 30_000);

  it('refuses a code redeemed with another sign-in’s verifier (the provider enforces PKCE)', async () => {
    const first = new CookieJar();
    const firstCallback = await signInUntilCallback(first);
    const second = new CookieJar();
    const secondCallback = await signInUntilCallback(second);
    // The first flow's code and state with the second flow's verifier: the state check fails first,
    // so the state is made to match to reach the token endpoint's PKCE check.
    firstCallback.searchParams.set('state', secondCallback.searchParams.get('state') ?? '');
    const res = await send(firstCallback, second);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ detail: expect.stringMatching(/invalid_grant/) });
    expect((await send(new URL('/api/session', webBase), second)).status).toBe(401);
  }, 30_000);

  it('sends the person back only to a path of this origin (no open redirect after sign-in)', async () => {
    for (const returnTo of ['//evil.example.com/x', '/\\evil.example.com/x', 'https://evil.example.com/']) {
      const jar = new CookieJar();
      const done = await send(await signInUntilCallback(jar, returnTo), jar);
      expect([returnTo, done.status, done.headers.location]).toEqual([returnTo, 302, '/']);
    }
  }, 30_000);

  it('refuses an access token issued for another audience', async () => {
    foreignAudience = true;
    const jar = new CookieJar();
    const callback = await signInUntilCallback(jar);
    const res = await send(callback, jar);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ detail: expect.stringMatching(/audience/i) });
    expect((await send(new URL('/api/session', webBase), jar)).status).toBe(401);
  }, 30_000);

  it('is an issuer that requires PKCE (an authorization request without a challenge is refused)', async () => {
    const jar = new CookieJar();
    const login = await send(new URL('/auth/login', webBase), jar);
    const authorize = new URL(login.headers.location ?? '');
    authorize.searchParams.delete('code_challenge');
    authorize.searchParams.delete('code_challenge_method');
    const res = await send(authorize, jar);
    const back = new URL(res.headers.location ?? '', authorize);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  }, 30_000);

  // Last: it stops the issuer.
  it('answers 503 with Retry-After, not a refusal, when the issuer stops answering mid-sign-in', async () => {
    const jar = new CookieJar();
    const callback = await signInUntilCallback(jar);
    issuerServer.closeAllConnections();
    await new Promise((resolve) => issuerServer.close(resolve));
    const res = await send(callback, jar);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
  }, 30_000);
});
