import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, JWK } from 'jose';

/**
 * A real OpenID provider (oidc-provider, a devDependency) for single sign-on specs, minting JWT
 * access tokens by client_credentials with an RFC 8707 resource indicator (the resource becomes
 * `aud`). What a token carries is set per request through `token(audience, next)`, so a spec can ask
 * for a Keycloak-shaped token, one for another API, one that expires in a second, RS256 or ES256.
 */

const CLIENT_ID = 'pacer-sso-test';
const CLIENT_SECRET = 'pacer-sso-test-client-secret';

export interface NextToken {
  claims: Record<string, unknown>;
  ttlSeconds: number;
  alg: 'RS256' | 'ES256';
}

/** The slice of oidc-provider's (untyped, ESM) API used here. */
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
}
interface OidcProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
}

/**
 * oidc-provider is ESM-only and jest's module system is CommonJS: it is loaded with Node's own
 * require (require(esm), Node ≥ 20.19), outside jest's registry, on first use. Jest runs this file in
 * its own realm, and oidc-provider merges its configuration only into objects whose prototype is its
 * realm's Object.prototype, so configuration and claims are copied over there (`intoNodeRealm`).
 */
function nodeRealm(): { Provider: OidcProviderModule['default']; intoNodeRealm: <T>(value: T) => T } {
  const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);
  const { default: Provider } = nodeRequire('oidc-provider') as OidcProviderModule;
  const intoNodeRealm = process.getBuiltinModule('node:vm').runInThisContext(
    '(function copy(v) { if (Array.isArray(v)) return v.map(copy); if (v && typeof v === "object" && v.constructor && v.constructor.name === "Object") { const o = {}; for (const k of Object.keys(v)) o[k] = copy(v[k]); return o; } return v; })',
  ) as <T>(value: T) => T;
  return { Provider, intoNodeRealm };
}

/** A fresh signing key set: one RS256 and one ES256 key with kids unique to this set. */
export async function newKeySet(label: string): Promise<JWK[]> {
  const [rsa, ec] = await Promise.all([generateKeyPair('RS256', { extractable: true }), generateKeyPair('ES256', { extractable: true })]);
  return [
    { ...(await exportJWK(rsa.privateKey)), kid: `${label}-rsa`, alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.privateKey)), kid: `${label}-ec`, alg: 'ES256', use: 'sig' },
  ];
}

export class TestOpenIdProvider {
  /** GET requests of the JWKS since the provider started (the key-rotation test counts refetches). */
  jwksFetches = 0;
  next: NextToken = { claims: {}, ttlSeconds: 300, alg: 'ES256' };
  private server?: Server;

  constructor(
    readonly port: number,
    private readonly audiences: string[],
  ) {}

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the provider on its port with `keys`, as an issuer rotating its keys would. */
  async start(keys: JWK[]): Promise<void> {
    await this.stop();
    const { Provider, intoNodeRealm } = nodeRealm();
    const provider = new Provider(
      this.issuer,
      intoNodeRealm({
        clients: [
          {
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        jwks: { keys },
        cookies: { keys: ['pacer-sso-test-cookie-key'] },
        ttl: { ClientCredentials: () => this.next.ttlSeconds },
        features: {
          devInteractions: { enabled: false },
          clientCredentials: { enabled: true },
          resourceIndicators: {
            enabled: true,
            getResourceServerInfo: (_ctx: unknown, indicator: string) => {
              if (!this.audiences.includes(indicator)) throw new Error(`unknown resource ${indicator}`);
              return intoNodeRealm({
                scope: 'pacer',
                audience: indicator,
                accessTokenFormat: 'jwt',
                accessTokenTTL: this.next.ttlSeconds,
                jwt: { sign: { alg: this.next.alg } },
              });
            },
          },
        },
        extraTokenClaims: () => intoNodeRealm(this.next.claims),
      }),
    );
    const handle = provider.callback();
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/jwks') this.jwksFetches += 1;
      handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.jwksFetches = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** An access token for `audience` carrying `next` (client_credentials + resource indicator). */
  async token(audience: string, next: Partial<NextToken> = {}): Promise<string> {
    this.next = { claims: {}, ttlSeconds: 300, alg: 'ES256', ...next };
    // A fresh connection per request (no keep-alive pool): the provider restarts between tokens.
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, resource: audience, scope: 'pacer' }).toString();
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${this.issuer}/token`, { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(form);
    });
    const body = JSON.parse(text) as { access_token?: string; error?: string; error_description?: string };
    if (status !== 200 || !body.access_token) throw new Error(`the provider refused a token: ${status} ${body.error} ${body.error_description}`);
    return body.access_token;
  }
}
