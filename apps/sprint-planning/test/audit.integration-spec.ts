import { mintToken, Role } from '@pacer/auth';
import { RunningService, startTestService, TEST_JWT_SECRET, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { Call, dateFromToday } from './support/sprint-planning.harness';

interface AuditPage {
  items: {
    id: string;
    at: string;
    actor: { sub: string; role: string };
    type: string;
    subject: Record<string, string>;
    summary: Record<string, unknown>;
  }[];
  nextCursor: string | null;
}

// SPEC §6: every command records its actor (sub and the role it acted in) in the same transaction as
// its effect, and GET /v1/audit lists them for admins, per tenant.
describe('audit of sprint-planning commands', () => {
  let svc: RunningService;
  const tenant = uniqueName('audit');
  const other = uniqueName('audit-other');

  async function as(tenantId: string, roles: Role[], subject: string, repId?: string): Promise<Call> {
    const token = await mintToken({
      secret: TEST_JWT_SECRET,
      ...(tenantId ? { tenantId } : {}),
      roles,
      subject,
      ...(repId ? { repId } : {}),
    });
    return async (method, path, body) => {
      const res = await fetch(`${svc.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    };
  }

  let admin: Call;
  let manager: Call;
  let ana: Call;

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    // An admin token that is also a rep acts as admin on admin routes.
    admin = await as(tenant, ['admin', 'rep'], 'user-admin', 'adm');
    manager = await as(tenant, ['manager'], 'user-max', 'max');
    ana = await as(tenant, ['rep'], 'user-ana', 'ana');
  });
  afterAll(() => svc?.close());

  async function audit(call: Call, query = ''): Promise<AuditPage> {
    const res = await call<AuditPage>('GET', `/v1/audit${query}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('records every command with its actor, role, subject and summary, newest first', async () => {
    expect((await admin('PUT', '/v1/settings', { timezone: 'Europe/Oslo' })).status).toBe(200);
    expect(
      (await admin('POST', '/v1/teams', { teamId: 'alpha', name: 'Alpha', salesModel: 'island' })).status,
    ).toBe(201);
    expect((await admin('PUT', '/v1/teams/alpha/members/max', { name: 'Max', role: 'MANAGER' })).status).toBe(
      200,
    );
    expect((await manager('PUT', '/v1/teams/alpha/members/ana', { name: 'Ana', role: 'AE' })).status).toBe(
      200,
    );
    expect(
      (
        await manager('POST', '/v1/teams/alpha/sprints', {
          sprintId: 's1',
          startDate: dateFromToday(0),
          goal: 'g',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await ana('PUT', '/v1/sprints/s1/commitments/ana', {
          targets: { calls: 5 },
          items: [{ itemId: 'i1', title: 'Call' }],
        })
      ).status,
    ).toBe(200);
    expect((await manager('POST', '/v1/sprints/s1/start')).status).toBe(200);
    expect((await ana('PATCH', '/v1/sprints/s1/items/i1', { status: 'done' })).status).toBe(200);
    expect((await manager('POST', '/v1/sprints/s1/close')).status).toBe(200);
    expect((await admin('POST', '/v1/admin/rebuild')).status).toBe(200);

    const page = await audit(admin);
    expect(page.items.map((r) => [r.type, r.actor.sub, r.actor.role])).toEqual([
      ['read_models.rebuilt', 'user-admin', 'admin'],
      ['sprint.closed', 'user-max', 'manager'],
      ['sprint.item_status_changed', 'user-ana', 'rep'],
      ['sprint.started', 'user-max', 'manager'],
      ['sprint.commitment_set', 'user-ana', 'rep'],
      ['sprint.planned', 'user-max', 'manager'],
      ['team.member_set', 'user-max', 'manager'],
      ['team.member_set', 'user-admin', 'admin'],
      ['team.created', 'user-admin', 'admin'],
      ['settings.updated', 'user-admin', 'admin'],
    ]);
    const commitment = page.items.find((r) => r.type === 'sprint.commitment_set');
    expect(commitment).toMatchObject({
      subject: { sprintId: 's1', repId: 'ana', teamId: 'alpha' },
      summary: { targets: { calls: 5 }, itemIds: ['i1'] },
    });
    expect(page.items.find((r) => r.type === 'settings.updated')?.summary).toMatchObject({
      timezone: 'Europe/Oslo',
    });
    expect(page.nextCursor).toBeNull();
  });

  it('filters by actor, type and time, and pages with a cursor', async () => {
    const byAna = await audit(admin, '?actor=user-ana');
    expect(byAna.items.map((r) => r.type)).toEqual(['sprint.item_status_changed', 'sprint.commitment_set']);
    const members = await audit(admin, '?type=team.member_set');
    expect(members.items.map((r) => r.subject['repId'])).toEqual(['ana', 'max']);

    const all = await audit(admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditPage = await audit(admin, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((r) => r.id));

    const oldest = all.items[all.items.length - 1];
    if (!oldest) throw new Error('no audit records');
    const later = new Date(Date.parse(oldest.at) + 1).toISOString();
    expect((await audit(admin, `?to=${encodeURIComponent(later)}`)).items.map((r) => r.id)).toEqual([
      oldest.id,
    ]);
    expect((await audit(admin, `?from=${encodeURIComponent(later)}`)).items).toHaveLength(
      all.items.length - 1,
    );
  });

  it('answers bad filters with a problem naming the field', async () => {
    for (const [query, path] of [
      ['?from=yesterday', 'from'],
      ['?type=DROP%20TABLE', 'type'],
      ['?actor=', 'actor'],
      ['?limit=0', 'limit'],
      ['?cursor=bm9wZQ', 'cursor'],
      ['?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
      ['?tenant=x', 'tenant'],
    ] as const) {
      const res = await admin('GET', `/v1/audit${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(path);
    }
  });

  it('is for admins of the tenant only: others get 403, another tenant sees none of it', async () => {
    expect((await manager('GET', '/v1/audit')).status).toBe(403);
    expect((await ana('GET', '/v1/audit')).status).toBe(403);
    const stranger = await as(other, ['admin'], 'user-admin');
    expect((await audit(stranger)).items).toEqual([]);
  });

  it('writes nothing for a command that fails or changes nothing', async () => {
    const before = (await audit(admin)).items.length;
    expect((await admin('PUT', '/v1/settings', { timezone: 'Europe/Oslo' })).status).toBe(200);
    // the sprint is closed: a refused change
    expect((await ana('PATCH', '/v1/sprints/s1/items/i1', { status: 'todo' })).status).toBe(409);
    expect(
      (await admin('POST', '/v1/teams', { teamId: 'alpha', name: 'Again', salesModel: 'island' })).status,
    ).toBe(409);
    expect((await ana('PUT', '/v1/settings', { timezone: 'UTC' })).status).toBe(403);
    expect((await manager('POST', '/v1/sprints/s1/start')).status).toBe(409);
    expect((await audit(admin)).items).toHaveLength(before);
  });

  it("audits an operator's platform-wide rebuild in each tenant and once platform-wide", async () => {
    const operator = await as('', ['operator'], 'user-ops');
    expect((await operator('POST', '/v1/admin/rebuild?scope=all')).status).toBe(200);
    const mine = await audit(admin, '?actor=user-ops');
    expect(mine.items).toEqual([
      expect.objectContaining({
        type: 'read_models.rebuilt',
        actor: { sub: 'user-ops', role: 'operator' },
        subject: { tenantId: tenant },
        summary: expect.objectContaining({ scope: 'all' }),
      }),
    ]);
    const platform = await audit(operator, '?actor=user-ops');
    expect(platform.items[0]).toMatchObject({
      type: 'read_models.rebuilt',
      actor: { sub: 'user-ops', role: 'operator' },
      subject: {},
      summary: { scope: 'all' },
    });
    expect(platform.items[0]?.summary['tenants']).toEqual(expect.any(Number));
  });
});
