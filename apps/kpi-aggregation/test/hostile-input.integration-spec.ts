import { mintToken } from '@pacer/auth';
import {
  problemPaths,
  rawSender,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  uniqueName,
} from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';

// SPEC §3 "Input rules" at the endpoints of kpi-aggregation (issue 12): query parameters and the
// optional rebuild body are 400/415 problems naming the field, never a 500.
describe('kpi-aggregation refuses hostile input with 400/415 problems naming the field', () => {
  let svc: RunningService;
  let token: string;
  const tenant = uniqueName('hostile');

  const send = rawSender<any>(
    () => svc.baseUrl,
    () => token,
  );

  const paths = problemPaths;

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
    token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['admin'] });
  });

  afterAll(() => svc?.close());

  it.each([
    ['a NUL in scopeId', '/v1/kpis?scope=team&scopeId=a%00b', 'scopeId'],
    ['a 300-character scopeId', `/v1/kpis?scope=team&scopeId=${'t'.repeat(300)}`, 'scopeId'],
    ['30 February', '/v1/kpis?scope=org&from=2026-02-30', 'from'],
    ['month 13', '/v1/kpis?scope=org&to=2026-13-01', 'to'],
    ['an offset of +25:00', '/v1/kpis?scope=org&from=2026-11-27T09:30:00%2B25:00', 'from'],
    ['a __proto__ parameter', '/v1/kpis?scope=org&__proto__=1', '__proto__'],
    ['a control character in a team id', '/v1/leaderboard?period=month&key=2026-11&teamId=a%0Ab', 'teamId'],
  ])('GET with %s is a 400 naming it', async (_, path, field) => {
    const res = await send('GET', path);
    expect(res.status).toBe(400);
    expect(paths(res)).toContain(field);
  });

  it('the rebuild takes none or {}; other bodies are 415 or 400', async () => {
    expect((await send('POST', '/v1/admin/rebuild', 'all', 'text/plain')).status).toBe(415);
    const deep = await send('POST', '/v1/admin/rebuild', `{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`);
    expect(deep.status).toBe(400);
    expect(paths(deep)[0]).toMatch(/^a/);
    const proto = await send('POST', '/v1/admin/rebuild', '{"__proto__":{"scope":"all"}}');
    expect(paths(proto)).toEqual(['__proto__']);
    const extra = await send('POST', '/v1/admin/rebuild', '{"tenant":"other"}');
    expect(extra.status).toBe(400);
    expect(paths(extra)).toEqual(['tenant']);
    expect((await send('POST', '/v1/admin/rebuild', undefined, null)).status).toBeLessThan(300);
  });
});
