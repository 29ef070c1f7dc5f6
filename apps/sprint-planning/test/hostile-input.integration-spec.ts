import { mintToken } from '@pacer/auth';
import {
  problemPaths,
  rawSender,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  uniqueName,
} from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { dateFromToday } from './support/sprint-planning.harness';

// SPEC §3 "Input rules" at every endpoint of sprint-planning: what a hostile client sends is a 400
// or 415 problem naming the field, never a 500 and never a body read as empty (issue 12).
describe('sprint-planning refuses hostile input with 400/415 problems naming the field', () => {
  let svc: RunningService;
  let token: string;
  const tenant = uniqueName('hostile');

  const send = rawSender<any>(
    () => svc.baseUrl,
    () => token,
  );

  const json = (value: unknown) => JSON.stringify(value);
  const paths = problemPaths;

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['admin'] });
    expect(
      (await send('PUT', '/v1/settings', json({ timezone: 'Europe/Oslo', weekStartsOn: 7 }))).status,
    ).toBe(200);
    expect(
      (await send('POST', '/v1/teams', json({ teamId: 'north', name: 'North', salesModel: 'island' })))
        .status,
    ).toBe(201);
    expect((await send('PUT', '/v1/teams/north/members/ana', json({ name: 'Ana', role: 'AE' }))).status).toBe(
      200,
    );
    expect(
      (await send('POST', '/v1/teams/north/sprints', json({ sprintId: 's1', startDate: dateFromToday(1) })))
        .status,
    ).toBe(201);
    expect(
      (await send('PUT', '/v1/sprints/s1/commitments/ana', json({ targets: { calls: 10 }, items: [] })))
        .status,
    ).toBe(200);
  });

  afterAll(() => svc?.close());

  it.each([
    ['text/plain', json({ timezone: 'UTC' })],
    ['application/x-www-form-urlencoded', 'timezone=UTC'],
    ['application/xml', '<settings/>'],
    [null, json({ timezone: 'UTC' })],
  ])('PUT /v1/settings with a %s body is a 415 and leaves the settings alone', async (type, body) => {
    expect((await send('PUT', '/v1/settings', body, type)).status).toBe(415);
    expect((await send('GET', '/v1/settings')).json).toMatchObject({
      timezone: 'Europe/Oslo',
      weekStartsOn: 7,
    });
  });

  it('PUT /v1/settings with no body or an empty one is a 400, never a reset to defaults', async () => {
    for (const res of [await send('PUT', '/v1/settings'), await send('PUT', '/v1/settings', '')]) {
      expect(res.status).toBe(400);
      expect(paths(res)).toEqual(['']);
    }
    expect((await send('GET', '/v1/settings')).json).toMatchObject({
      timezone: 'Europe/Oslo',
      weekStartsOn: 7,
    });
  });

  it('PUT a commitment as text/plain is a 415 and keeps the targets', async () => {
    expect(
      (await send('PUT', '/v1/sprints/s1/commitments/ana', json({ targets: {} }), 'text/plain')).status,
    ).toBe(415);
    expect((await send('PUT', '/v1/sprints/s1/commitments/ana')).status).toBe(400);
    const sprint = await send('GET', '/v1/sprints/s1');
    expect(JSON.stringify(sprint.json)).toContain('"calls":10');
  });

  it('a NUL in a string or a path parameter is a 400 naming it', async () => {
    const name = await send('PUT', '/v1/teams/north/members/bo', json({ name: 'B\u0000o', role: 'AE' }));
    expect(name.status).toBe(400);
    expect(paths(name)).toContain('name');
    const goal = await send(
      'POST',
      '/v1/teams/north/sprints',
      json({ startDate: dateFromToday(30), goal: 'x\u0000' }),
    );
    expect(paths(goal)).toContain('goal');
    const param = await send('GET', '/v1/teams/no%00rth');
    expect(param.status).toBe(400);
    expect(paths(param)).toEqual(['teamId']);
  });

  it('JSON nested 2,000 levels deep is a 400, also at every other body endpoint', async () => {
    const deep = json({ targets: JSON.parse('['.repeat(30) + ']'.repeat(30)) })
      .replace('[[', '['.repeat(2000))
      .replace(']]', ']'.repeat(2000));
    for (const [method, path] of [
      ['PUT', '/v1/settings'],
      ['PUT', '/v1/sprints/s1/commitments/ana'],
      ['POST', '/v1/teams'],
    ]) {
      const res = await send(method, path, deep);
      expect(res.status).toBe(400);
      expect(paths(res)[0]).toMatch(/^targets/);
    }
  });

  it.each(['__proto__', 'constructor'])('a %s key in any DTO is a 400 naming it', async (key) => {
    const bodies: [string, string, string][] = [
      ['PUT', '/v1/settings', `{"timezone":"UTC","${key}":{"weekStartsOn":3}}`],
      ['POST', '/v1/teams', `{"name":"X","salesModel":"island","${key}":{}}`],
      ['PUT', '/v1/sprints/s1/commitments/ana', `{"targets":{"${key}":{"calls":1}}}`],
      ['PATCH', '/v1/teams/north', `{"name":"N","${key}":1}`],
    ];
    for (const [method, path, body] of bodies) {
      const res = await send(method, path, body);
      expect(res.status).toBe(400);
      expect(paths(res).some((p: string) => p.endsWith(key))).toBe(true);
    }
  });

  it.each(['2026-02-30', '2026-13-01', null, '0000-01-01', '9999-12-31'])(
    'a membership effectiveFrom of %j is a 400 naming effectiveFrom',
    async (effectiveFrom) => {
      const res = await send(
        'PUT',
        '/v1/teams/north/members/cy',
        json({ name: 'Cy', role: 'AE', effectiveFrom }),
      );
      expect(res.status).toBe(400);
      expect(paths(res)).toEqual(['effectiveFrom']);
    },
  );

  it('an item dueDate more than ten years ahead and an impossible startDate are 400s', async () => {
    const due = await send(
      'PUT',
      '/v1/sprints/s1/commitments/ana',
      json({ items: [{ itemId: 'i1', title: 'Call ACME', dueDate: dateFromToday(3700) }] }),
    );
    expect(paths(due)).toEqual(['items.0.dueDate']);
    const start = await send('POST', '/v1/teams/north/sprints', json({ startDate: '2026-02-30' }));
    expect(paths(start)).toEqual(['startDate']);
  });

  it('a repId of 300 characters is a 400 naming repId', async () => {
    const res = await send(
      'PUT',
      `/v1/teams/north/members/${'r'.repeat(300)}`,
      json({ name: 'R', role: 'AE' }),
    );
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['repId']);
  });

  it('endpoints whose body is optional take none or {}, and refuse fields and other types', async () => {
    expect((await send('POST', '/v1/admin/rebuild', undefined, null)).status).toBe(200);
    expect((await send('POST', '/v1/admin/rebuild', '{}')).status).toBe(200);
    expect((await send('POST', '/v1/admin/rebuild', 'rebuild', 'text/plain')).status).toBe(415);
    const extra = await send('POST', '/v1/sprints/s1/start', json({ force: true }));
    expect(extra.status).toBe(400);
    expect(paths(extra)).toEqual(['force']);
    expect((await send('POST', '/v1/sprints/s1/start', '{}')).status).toBe(200);
  });
});
