import { mintToken, Role } from '@pacer/auth';
import { pollUntil, RunningService, startTestService, TEST_JWT_SECRET, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';

type Call = (method: string, path: string) => Promise<{ status: number; body: any }>;

// SPEC §6: kpi-aggregation's one command is the rebuild; who started it is in GET /v1/audit, for the
// tenant's admins (a tenant rebuild) and for operators (a platform-wide one).
describe('kpi-aggregation: audit of rebuilds', () => {
  let svc: RunningService;
  const tenant = uniqueName('kpi-audit');

  async function as(roles: Role[], subject: string, tenantId = tenant): Promise<Call> {
    const token = await mintToken({
      secret: TEST_JWT_SECRET,
      ...(tenantId ? { tenantId } : {}),
      roles,
      subject,
    });
    return async (method, path) => {
      const res = await fetch(`${svc.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
  }

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
  });
  afterAll(() => svc?.close());

  it("records the admin's tenant rebuild and the operator's platform-wide one with their actors", async () => {
    const admin = await as(['admin'], 'user-admin');
    const operator = await as(['operator'], 'user-ops', '');
    expect((await admin('POST', '/v1/admin/rebuild')).status).toBe(202);
    await pollUntil(
      () => admin('GET', '/v1/admin/rebuild'),
      (r) => r.body?.status === 'completed',
      { what: 'the tenant rebuild to complete' },
    );
    expect((await operator('POST', '/v1/admin/rebuild?scope=all')).status).toBe(202);
    await pollUntil(
      () => operator('GET', '/v1/admin/rebuild?scope=all'),
      (r) => r.body?.status === 'completed',
      { what: 'the platform-wide rebuild to complete' },
    );

    const tenantLog = await admin('GET', '/v1/audit');
    expect(tenantLog.status).toBe(200);
    expect(tenantLog.body.items).toEqual([
      expect.objectContaining({
        actor: { sub: 'user-admin', role: 'admin' },
        type: 'read_models.rebuild_started',
        subject: { tenantId: tenant },
        summary: { scope: 'tenant', epoch: 1 },
      }),
    ]);
    const platformLog = await operator('GET', '/v1/audit?type=read_models.rebuild_started&actor=user-ops');
    expect(platformLog.body.items[0]).toMatchObject({
      actor: { sub: 'user-ops', role: 'operator' },
      subject: {},
      summary: { scope: 'all' },
    });
    expect((await (await as(['manager'], 'user-max'))('GET', '/v1/audit')).status).toBe(403);
  });
});
