import { freePort, newKeySet, RunningService, startTestService, TestOpenIdProvider, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { getJson } from './support/kpi-service.fixture';

// The two roles that only reach routes naming them, with tokens of a real OpenID provider whose claim
// names are configured (PACER_OIDC_CLAIM_*): a TV screen (display, its team in `pacer_team_id`) reads
// its own team's leaderboard, and a platform operator (no tenant claim) reaches the scope=all rebuild.

const API = 'https://api.pacer.example.com';

describe('single sign-on: display and operator tokens of an OpenID provider at kpi-aggregation', () => {
  const tenant = uniqueName('sso-kpi');
  let provider: TestOpenIdProvider;
  let svc: RunningService;

  beforeAll(async () => {
    provider = new TestOpenIdProvider(await freePort(), [API]);
    await provider.start(await newKeySet('kpi'));
    svc = await startTestService(KpiAggregationService, {
      PACER_OIDC_ISSUER: provider.issuer,
      PACER_OIDC_DISCOVERY_INSECURE: 'true',
      PACER_OIDC_AUDIENCE: API,
      PACER_OIDC_CLAIM_TENANT: 'pacer_tenant',
      PACER_OIDC_CLAIM_ROLES: 'realm_access.roles',
      PACER_OIDC_CLAIM_TEAM_ID: 'pacer_team_id',
    });
  });
  afterAll(async () => {
    await svc?.close();
    await provider?.stop();
  });

  it("lets a display token read its own team's leaderboard and nothing else", async () => {
    const tv = await provider.token(API, { claims: { pacer_tenant: tenant, realm_access: { roles: ['display'] }, pacer_team_id: 'hunters' } });
    const own = await getJson<{ teamId: string | null; entries: unknown[] }>(svc.baseUrl, '/v1/leaderboard?period=month&key=2026-11', tv);
    expect(own).toMatchObject({ status: 200, body: { teamId: 'hunters', entries: [] } });
    expect((await getJson(svc.baseUrl, '/v1/leaderboard?teamId=farmers&period=month&key=2026-11', tv)).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/kpis?scope=org&period=month', tv)).status).toBe(403);
    // A display token without its team claim is no principal at all.
    const teamless = await provider.token(API, { claims: { pacer_tenant: tenant, realm_access: { roles: ['display'] } } });
    expect((await getJson(svc.baseUrl, '/v1/leaderboard?period=month&key=2026-11', teamless)).status).toBe(401);
  });

  it('lets an operator token (no tenant claim) reach the platform-wide rebuild, and refuses one carrying a tenant', async () => {
    const operator = await provider.token(API, { claims: { realm_access: { roles: ['operator'] } } });
    const all = await getJson<Record<string, unknown>>(svc.baseUrl, '/v1/admin/rebuild?scope=all', operator);
    expect(all).toMatchObject({ status: 200, body: { scope: '*' } });
    // Without scope=all an operator has no tenant to rebuild: 400 on scope, which only a tenant-less principal gets.
    expect(await getJson(svc.baseUrl, '/v1/admin/rebuild', operator)).toMatchObject({ status: 400 });
    // Nor does it read tenant data.
    expect((await getJson(svc.baseUrl, '/v1/kpis?scope=org&period=month', operator)).status).toBe(403);
    const mixed = await provider.token(API, { claims: { pacer_tenant: tenant, realm_access: { roles: ['operator'] } } });
    expect((await getJson(svc.baseUrl, '/v1/admin/rebuild?scope=all', mixed)).status).toBe(401);
  });
});
