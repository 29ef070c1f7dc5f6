import { RunningService, startTestService, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { Call, client, dateFromToday, team } from './support/sprint-planning.harness';

// SPEC §7: 401 without a valid token, 403 for a role that may not act, another tenant's resources
// are 404; reps edit only their own commitment and items; errors are problem documents with codes.
describe('auth, tenant isolation and problem documents', () => {
  let svc: RunningService;
  const tenant = uniqueName('auth');
  const other = uniqueName('other');
  let admin: Call;
  let manager: Call;
  let ana: Call;
  let bo: Call;
  let bi: Call;
  let stranger: Call;

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    admin = await client(svc, tenant, ['admin']);
    manager = await client(svc, tenant, ['manager'], 'max');
    ana = await client(svc, tenant, ['rep'], 'ana');
    bo = await client(svc, tenant, ['rep'], 'bo');
    bi = await client(svc, tenant, ['bi']);
    stranger = await client(svc, other, ['admin']);
    // A manager may make itself the MANAGER of a team without one, and then staff it.
    await team(manager, 'alpha', 'island', { max: 'MANAGER', ana: 'AE', bo: 'AE' });
    await manager('POST', '/v1/teams/alpha/sprints', { sprintId: 'sp', startDate: dateFromToday(-1) });
    await manager('PUT', '/v1/sprints/sp/commitments/ana', {
      targets: { calls: 5 },
      items: [{ itemId: 'a1', title: 'A' }],
    });
    await manager('PUT', '/v1/sprints/sp/commitments/bo', {
      targets: { calls: 5 },
      items: [{ itemId: 'b1', title: 'B' }],
    });
  });
  afterAll(() => svc?.close());

  it('answers 401 without a valid bearer token', async () => {
    const none = await fetch(`${svc.baseUrl}/v1/teams`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const bad = await fetch(`${svc.baseUrl}/v1/sprints/sp/board`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.status).toBe(401);
  });

  it('lets everyone in the tenant read, and only managers and admins change teams, settings and sprints', async () => {
    for (const reader of [ana, bi, manager]) {
      expect((await reader('GET', '/v1/sprints/sp/board')).status).toBe(200);
      expect((await reader('GET', '/v1/teams/alpha')).status).toBe(200);
      expect((await reader('GET', '/v1/settings')).status).toBe(200);
    }
    expect((await ana('POST', '/v1/teams', { name: 'x', salesModel: 'island' })).status).toBe(403);
    expect((await ana('PUT', '/v1/settings', { timezone: 'UTC' })).status).toBe(403);
    expect((await ana('PUT', '/v1/teams/alpha/members/ana', { name: 'Ana', role: 'MANAGER' })).status).toBe(
      403,
    );
    expect((await ana('POST', '/v1/sprints/sp/start')).status).toBe(403);
    expect((await bi('PUT', '/v1/sprints/sp/commitments/ana', { targets: {} })).status).toBe(403);
    expect((await bi('PATCH', '/v1/sprints/sp/items/a1', { status: 'done' })).status).toBe(403);
    expect((await ana('POST', '/v1/admin/rebuild')).status).toBe(403);
    expect((await manager('POST', '/v1/admin/rebuild')).status).toBe(403);
  });

  it('lets a rep edit its own commitment and items only', async () => {
    const own = await ana('PUT', '/v1/sprints/sp/commitments/ana', {
      targets: { calls: 8 },
      items: [
        { itemId: 'a1', title: 'A' },
        { itemId: 'a2', title: 'A2' },
      ],
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      repId: 'ana',
      targets: { calls: 8 },
      items: [{ itemId: 'a1' }, { itemId: 'a2', status: 'todo' }],
    });
    const foreign = await ana('PUT', '/v1/sprints/sp/commitments/bo', { targets: { calls: 0 } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.type).toBe('urn:pacer:problem:forbidden');
    expect((await ana('PATCH', '/v1/sprints/sp/items/a1', { status: 'doing' })).status).toBe(200);
    expect((await ana('PATCH', '/v1/sprints/sp/items/b1', { status: 'done' })).status).toBe(403);
    expect((await bo('PATCH', '/v1/sprints/sp/items/b1', { status: 'done' })).status).toBe(200);
    // backwards moves are allowed (a reopened item)
    expect((await bo('PATCH', '/v1/sprints/sp/items/b1', { status: 'todo' })).body).toMatchObject({
      status: 'todo',
      repId: 'bo',
    });
  });

  it("hides another tenant's resources as 404 and keeps ids per tenant", async () => {
    for (const [method, path, body] of [
      ['GET', '/v1/teams/alpha'],
      ['GET', '/v1/sprints/sp'],
      ['GET', '/v1/sprints/sp/board'],
      ['GET', '/v1/sprints/sp/report'],
      ['GET', '/v1/teams/alpha/sprints'],
      ['GET', '/v1/teams/alpha/velocity'],
      ['POST', '/v1/sprints/sp/start'],
      ['PUT', '/v1/sprints/sp/commitments/ana', { targets: {} }],
      ['PATCH', '/v1/sprints/sp/items/a1', { status: 'done' }],
      ['PUT', '/v1/teams/alpha/members/zed', { name: 'Zed', role: 'AE' }],
      ['POST', '/v1/teams/alpha/sprints', { startDate: dateFromToday(100) }],
    ] as const) {
      const r = await stranger(method, path, body);
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await stranger('GET', '/v1/teams')).body).toEqual([]);
    expect(
      (
        await stranger('POST', '/v1/teams', {
          teamId: 'alpha',
          name: 'Other alpha',
          salesModel: 'assembly_line',
        })
      ).status,
    ).toBe(201);
    expect((await admin('GET', '/v1/teams/alpha')).body).toMatchObject({
      name: 'alpha',
      salesModel: 'island',
    });
  });

  it('answers invalid input with problem documents naming the field and the rule', async () => {
    const unknownField = await admin('POST', '/v1/teams', { name: 'x', salesModel: 'island', color: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toMatchObject({
      type: 'urn:pacer:problem:validation-failed',
      errors: [{ path: 'color' }],
    });
    const zone = await admin('PUT', '/v1/settings', { timezone: 'Mars/Olympus', weekStartsOn: 8 });
    expect(zone.status).toBe(400);
    expect(zone.body.errors.map((e: any) => e.path).sort()).toEqual(['weekStartsOn']);
    const zoneOnly = await admin('PUT', '/v1/settings', { timezone: 'Mars/Olympus' });
    expect(zoneOnly.body).toMatchObject({ status: 400, errors: [{ path: 'timezone' }] });
    const metric = await admin('PUT', '/v1/sprints/sp/commitments/ana', {
      targets: { calls: 2.5, bananas: 3, revenueWon: -1, pipelineCreated: 500, meetingsHeld: '2' },
    });
    expect(metric.status).toBe(400);
    expect(metric.body.errors.map((e: any) => e.path)).toEqual([
      'targets.calls',
      'targets.bananas',
      'targets.revenueWon',
      'targets.pipelineCreated',
      'targets.meetingsHeld',
    ]);
    const dup = await admin('PUT', '/v1/sprints/sp/commitments/ana', {
      items: [
        { itemId: 'x', title: 'x' },
        { itemId: 'x', title: 'y' },
      ],
    });
    expect(dup.body).toMatchObject({ status: 400, errors: [{ path: 'items.1.itemId' }] });
    const taken = await admin('PUT', '/v1/sprints/sp/commitments/ana', {
      items: [{ itemId: 'b1', title: 'mine now' }],
    });
    expect(taken.body).toMatchObject({ status: 409, type: 'urn:pacer:problem:item-owned-by-another-rep' });
    const role = await admin('PUT', '/v1/teams/alpha/members/cy', { name: 'Cy', role: 'SDR' });
    expect(role.body).toMatchObject({ status: 422, type: 'urn:pacer:problem:role-not-allowed' });
    const notMember = await admin('PUT', '/v1/sprints/sp/commitments/zed', { targets: { calls: 1 } });
    expect(notMember.body).toMatchObject({ status: 422, type: 'urn:pacer:problem:rep-not-member' });
    const badDate = await admin('POST', '/v1/teams/alpha/sprints', { startDate: '2026-02-30' });
    expect(badDate.body).toMatchObject({ status: 400, errors: [{ path: 'startDate' }] });
    const noReport = await admin('GET', '/v1/sprints/sp/report');
    expect(noReport.body).toMatchObject({ status: 409, type: 'urn:pacer:problem:report-not-available' });
    expect((await admin('GET', '/v1/sprints/nope')).body).toMatchObject({
      status: 404,
      type: 'urn:pacer:problem:sprint-not-found',
    });
  });
});
