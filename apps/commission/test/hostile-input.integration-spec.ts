import { mintToken } from '@pacer/auth';
import {
  problemPaths,
  rawSender,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  uniqueName,
} from '@pacer/testing';
import { CommissionService } from '../src/app.module';
import { PLAN_BODY } from './commission-test-kit';

// SPEC §3 "Input rules" at every endpoint of commission: 400/415 problems naming the field, never
// a 500 and never a body read as empty (issue 12).
describe('commission refuses hostile input with 400/415 problems naming the field', () => {
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
    svc = await startTestService(CommissionService);
    token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['admin'] });
    expect((await send('PUT', '/v1/plans/ae', json(PLAN_BODY))).status).toBe(201);
    expect(
      (await send('PUT', '/v1/reps/ana/plan', json({ planId: 'ae', effectiveFrom: '2026-01-01' }))).status,
    ).toBeLessThan(300);
  });

  afterAll(() => svc?.close());

  it.each([
    ['PUT', '/v1/plans/ae'],
    ['PUT', '/v1/reps/ana/plan'],
    ['PUT', '/v1/reps/ana/quotas/FY2027-Q1'],
    ['POST', '/v1/estimate'],
  ])('%s %s: a text/plain or untyped body is a 415, no body is a 400', async (method, path) => {
    expect((await send(method, path, json({ amount: '1.00' }), 'text/plain')).status).toBe(415);
    expect((await send(method, path, json({ amount: '1.00' }), null)).status).toBe(415);
    const none = await send(method, path);
    expect(none.status).toBe(400);
    expect(paths(none)).toEqual(['']);
  });

  it('a NUL in a string or a path parameter is a 400 naming it', async () => {
    const name = await send('PUT', '/v1/plans/ae', json({ ...PLAN_BODY, name: 'AE\u00002026' }));
    expect(name.status).toBe(400);
    expect(paths(name)).toContain('name');
    const param = await send('GET', '/v1/reps/a%00na/statements');
    expect(param.status).toBe(400);
    expect(paths(param)).toEqual(['repId']);
    const query = await send('GET', '/v1/exceptions?cursor=x%00');
    expect(query.status).toBe(400);
    expect(paths(query)).toEqual(['cursor']);
  });

  it('JSON nested 2,000 levels deep is a 400', async () => {
    const deep = `{"tiers":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    for (const path of ['/v1/plans/ae', '/v1/reps/ana/plan']) {
      const res = await send('PUT', path, deep);
      expect(res.status).toBe(400);
      expect(paths(res)[0]).toMatch(/^tiers/);
    }
  });

  it.each(['__proto__', 'constructor'])('a %s key is a 400 naming it', async (key) => {
    for (const [method, path, body] of [
      ['PUT', '/v1/plans/ae', json(PLAN_BODY).replace('{', `{"${key}":{"currency":"EUR"},`)],
      ['PUT', '/v1/reps/ana/quotas/FY2027-Q1', `{"amount":"1.00","${key}":{}}`],
      ['POST', '/v1/estimate', `{"repId":"ana","amount":"1.00","spiffs":[{"${key}":1}]}`],
    ]) {
      const res = await send(method!, path!, body);
      expect(res.status).toBe(400);
      expect(paths(res).some((p: string) => p.endsWith(key))).toBe(true);
    }
  });

  it('effectiveFrom 0000-01-01 on a plan and on an assignment is a 400 naming it', async () => {
    const plan = await send('PUT', '/v1/plans/ae', json({ ...PLAN_BODY, effectiveFrom: '0000-01-01' }));
    expect(plan.status).toBe(400);
    expect(paths(plan)).toEqual(['effectiveFrom']);
    for (const effectiveFrom of ['0000-01-01', '2026-02-30', null]) {
      const assign = await send('PUT', '/v1/reps/ana/plan', json({ planId: 'ae', effectiveFrom }));
      expect(assign.status).toBe(400);
      expect(paths(assign)).toEqual(['effectiveFrom']);
    }
  });

  it('a plan version beyond the integer range is a 400 naming version', async () => {
    for (const version of ['99999999999', '0', '-1', '7.5', 'latest']) {
      const res = await send('GET', `/v1/plans/ae/versions/${version}`);
      expect(res.status).toBe(400);
      expect(paths(res)).toEqual(['version']);
    }
    expect((await send('GET', '/v1/plans/ae/versions/1')).status).toBe(200);
  });

  it('an estimate in ZZZ or at an offset of +25:00 is a 400 naming the field', async () => {
    const currency = await send(
      'POST',
      '/v1/estimate',
      json({ repId: 'ana', amount: '100.00', currency: 'ZZZ' }),
    );
    expect(paths(currency)).toEqual(['currency']);
    const offset = await send(
      'POST',
      '/v1/estimate',
      json({ repId: 'ana', amount: '100.00', occurredAt: '2026-11-27T09:30:00+25:00' }),
    );
    expect(paths(offset)).toEqual(['occurredAt']);
    const future = await send(
      'POST',
      '/v1/estimate',
      json({ repId: 'ana', amount: '100.00', occurredAt: '9999-12-31T23:59:59Z' }),
    );
    expect(paths(future)).toEqual(['occurredAt']);
  });

  it('a repId of 300 characters is a 400 naming repId, in the path and in a body', async () => {
    const path = await send(
      'PUT',
      `/v1/reps/${'r'.repeat(300)}/plan`,
      json({ planId: 'ae', effectiveFrom: '2026-01-01' }),
    );
    expect(paths(path)).toEqual(['repId']);
    const body = await send('POST', '/v1/estimate', json({ repId: 'r'.repeat(300), amount: '1.00' }));
    expect(paths(body)).toEqual(['repId']);
  });
});
