import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadWebConfig, WEB_CONFIG_VARIABLES } from './web-config';

const defaults = { staticDir: '/srv/web' };
const documented = new Set(
  readFileSync(path.resolve(__dirname, '../../../../.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line.trim())?.[1])
    .filter((n): n is string => n !== undefined),
);

describe('the web server configuration', () => {
  it.each(WEB_CONFIG_VARIABLES)('.env.example documents %s', (name) => {
    expect(documented.has(name)).toBe(true);
  });

  it('runs in development with defaults for everything', () => {
    const config = loadWebConfig({}, defaults);
    expect(config).toMatchObject({ development: true, port: 3000, staticDir: '/srv/web', demoTenant: 'demo' });
    expect(config.services['kpi-aggregation']).toBe('http://127.0.0.1:3003');
    expect(config.services.notifications).toBe('http://127.0.0.1:3005');
    expect(config.oidc).toBeUndefined();
  });

  it('refuses production without a session secret or an OIDC issuer, naming the variable', () => {
    expect(() => loadWebConfig({ NODE_ENV: 'production', PACER_OIDC_ISSUER: 'https://idp.example.com', PACER_OIDC_CLIENT_ID: 'web' }, defaults)).toThrow(
      /PACER_WEB_SESSION_SECRET/,
    );
    expect(() => loadWebConfig({ NODE_ENV: 'production', PACER_WEB_SESSION_SECRET: 'x'.repeat(32) }, defaults)).toThrow(/PACER_OIDC_ISSUER/);
    expect(() => loadWebConfig({ PACER_WEB_SESSION_SECRET: 'short' }, defaults)).toThrow(/PACER_WEB_SESSION_SECRET must be at least 32/);
    expect(() => loadWebConfig({ PACER_KPI_AGGREGATION_URL: 'not a url' }, defaults)).toThrow(/PACER_KPI_AGGREGATION_URL/);
    expect(() => loadWebConfig({ PACER_OIDC_ISSUER: 'https://idp.example.com' }, defaults)).toThrow(/PACER_OIDC_CLIENT_ID/);
  });

  it('reads the OIDC settings and claim names; an http issuer only outside production', () => {
    const env = {
      PACER_OIDC_ISSUER: 'http://127.0.0.1:9000',
      PACER_OIDC_CLIENT_ID: 'pacer-web',
      PACER_OIDC_CLAIM_ROLES: 'realm_access.roles',
      PACER_OIDC_DISCOVERY_INSECURE: 'true',
    };
    expect(loadWebConfig(env, defaults).oidc).toMatchObject({ clientId: 'pacer-web', allowInsecureIssuer: true, claims: { roles: 'realm_access.roles', tenant: 'tid' } });
    const prod = loadWebConfig({ ...env, NODE_ENV: 'production', PACER_WEB_SESSION_SECRET: 'x'.repeat(32) }, defaults);
    expect(prod.oidc?.allowInsecureIssuer).toBe(false);
  });

  it('gives admins the CRM webhook base: PACER_INTEGRATIONS_PUBLIC_URL, else in development the activity-ingestion URL', () => {
    expect(loadWebConfig({ NODE_ENV: 'development' }, defaults).integrationsPublicUrl).toBe('http://127.0.0.1:3001');
    expect(loadWebConfig({ NODE_ENV: 'development', PACER_INTEGRATIONS_PUBLIC_URL: 'https://pacer.example.com/ingest/' }, defaults).integrationsPublicUrl).toBe(
      'https://pacer.example.com/ingest',
    );
    expect(loadWebConfig({ NODE_ENV: 'test' }, defaults).integrationsPublicUrl).toBeUndefined();
  });

  it('accepts the environment docker-compose.yml gives the web service, and nothing it does not read', () => {
    const compose = parse(readFileSync(path.resolve(__dirname, '../../../../docker-compose.yml'), 'utf8')) as {
      services: { web: { environment: Record<string, string> } };
    };
    // Compose interpolation with an empty environment: ${NAME:-default} becomes the default.
    const env = Object.fromEntries(
      Object.entries(compose.services.web.environment).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
    );
    expect(Object.keys(env).filter((n) => !(WEB_CONFIG_VARIABLES as readonly string[]).includes(n))).toEqual([]);
    expect(loadWebConfig(env, defaults)).toMatchObject({ development: true, port: 3000 });
  });
});
