import { pollUntil, RunningService, startTestService, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { RepConsistencyDto, TeamConsistencyDto } from '../src/api/consistency.dto';
import { KpiEventBuilder } from './support/kpi-event.builder';
import { getJson, inputProducer, produceEvents, token } from './support/kpi-service.fixture';

interface Problem {
  status: number;
  errors?: { path: string }[];
}

// SPEC §5 consistency: the steady rep near 90 % and the one swinging 150 % / 40 %, on the real stack.
describe('GET /v1/reps/{repId}/consistency and /v1/teams/{teamId}/consistency', () => {
  let svc: RunningService;
  const tenantId = uniqueName('consistency');
  const b = new KpiEventBuilder(tenantId);
  const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
  const STEADY = ['88000', '92000', '90000', '91000', '89000', '90000'];
  const SWING = ['150000', '40000', '150000', '40000', '150000', '40000'];

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
    const producer = await inputProducer();
    await produceEvents(producer, svc.topicPrefix, [
      b.joined('hunters', 'max', '2025-01-01T00:00:00Z', 'MANAGER'),
      b.joined('hunters', 'ann', '2025-01-01T00:00:00Z'),
      b.joined('hunters', 'bob', '2025-01-01T00:00:00Z'),
      b.joined('farmers', 'cyd', '2025-01-01T00:00:00Z'),
      ...MONTHS.flatMap((m, i) => [
        b.quota('ann', m, '100000'),
        b.quota('bob', m, '100000'),
        b.dealWon('ann', `${m}-15T12:00:00Z`, { dealId: `a-${m}`, amount: STEADY[i] as string }),
        b.dealWon('bob', `${m}-15T12:00:00Z`, { dealId: `b-${m}`, amount: SWING[i] as string }),
      ]),
      // A month without quota and a period not yet ended do not count.
      b.dealWon('ann', '2026-07-15T12:00:00Z', { dealId: 'a-july', amount: '5000' }),
      b.quota('ann', '2099-01', '100000'),
      b.dealWon('ann', '2099-01-15T12:00:00Z', { dealId: 'a-future', amount: '1' }),
    ]);
    await producer.disconnect();
    const admin = await token(tenantId, ['admin']);
    await pollUntil(
      async () => (await getJson<RepConsistencyDto>(svc.baseUrl, '/v1/reps/bob/consistency?period=month&last=6', admin)).body,
      (c) => c.periods?.length === 6 && c.periods.every((p) => p.quotaAttainment !== null),
      { timeoutMs: 30_000, what: "bob's six months" },
    );
    await pollUntil(
      async () => (await getJson<RepConsistencyDto>(svc.baseUrl, '/v1/reps/ann/consistency?period=month&last=6', admin)).body,
      (c) => c.periods?.length === 6 && c.periods[5]?.revenueWon === '90000.00',
      { timeoutMs: 30_000, what: "ann's six months" },
    );
    // The roster topic is consumed independently of the activities.
    await pollUntil(
      async () => (await getJson<TeamConsistencyDto>(svc.baseUrl, '/v1/teams/hunters/consistency?period=month', admin)).body,
      (t) => t.members?.length === 2 && t.members.every((m) => m.name !== null),
      { timeoutMs: 30_000, what: "the team's roster" },
    );
  });

  afterAll(() => svc?.close());

  it("gives the rep's attainments oldest first with mean, population standard deviation and coefficient of variation", async () => {
    const ann = await token(tenantId, ['rep'], 'ann');
    const steady = (await getJson<RepConsistencyDto>(svc.baseUrl, '/v1/reps/ann/consistency?period=month&last=6', ann)).body;
    expect(steady.periods.map((p) => [p.key, p.quotaAttainment])).toEqual([
      ['2026-01', 0.88],
      ['2026-02', 0.92],
      ['2026-03', 0.9],
      ['2026-04', 0.91],
      ['2026-05', 0.89],
      ['2026-06', 0.9],
    ]);
    expect(steady).toMatchObject({ repId: 'ann', name: 'Ann', period: 'month', last: 6 });
    expect(steady.mean).toBeCloseTo(0.9, 12);
    // deviations −0.02, 0.02, 0, 0.01, −0.01, 0 → variance 0.001/6
    expect(steady.standardDeviation).toBeCloseTo(Math.sqrt(0.001 / 6), 12);

    const max = await token(tenantId, ['manager'], 'max');
    const swinging = (await getJson<RepConsistencyDto>(svc.baseUrl, '/v1/reps/bob/consistency?period=month&last=4', max)).body;
    expect(swinging.periods.map((p) => p.key)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06']);
    expect(swinging).toMatchObject({ mean: 0.95, standardDeviation: 0.55 });
    expect(swinging.coefficientOfVariation).toBeCloseTo(0.55 / 0.95, 12);

    // No quarterly quota: no periods, no figures.
    expect((await getJson<RepConsistencyDto>(svc.baseUrl, '/v1/reps/ann/consistency?period=quarter', ann)).body).toMatchObject({
      last: 6,
      periods: [],
      mean: null,
      standardDeviation: null,
      coefficientOfVariation: null,
    });
  });

  it('gives the team manager every selling member; reps, other managers and other roles are refused', async () => {
    const max = await token(tenantId, ['manager'], 'max');
    const team = (await getJson<TeamConsistencyDto>(svc.baseUrl, '/v1/teams/hunters/consistency?period=month&last=6', max)).body;
    expect(team.members.map((m) => [m.repId, m.periods.length])).toEqual([
      ['ann', 6],
      ['bob', 6],
    ]);
    expect((await getJson(svc.baseUrl, '/v1/teams/hunters/consistency?period=month', await token(tenantId, ['rep'], 'ann'))).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/reps/bob/consistency?period=month', await token(tenantId, ['rep'], 'ann'))).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/reps/cyd/consistency?period=month', max)).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/reps/ann/consistency?period=month', await token(tenantId, ['bi']))).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/teams/nobody/consistency?period=month', await token(tenantId, ['admin']))).status).toBe(404);
    // Another tenant's team does not exist for this admin.
    expect((await getJson(svc.baseUrl, '/v1/teams/hunters/consistency?period=month', await token(uniqueName('other'), ['admin']))).status).toBe(404);
  });

  it.each(['period=week', 'period=month&last=0', 'period=month&last=25', 'period=month&last=2.5', 'last=3', 'period=month&extra=1'])(
    'refuses %s naming the parameter',
    async (query) => {
      const res = await getJson<Problem>(svc.baseUrl, `/v1/reps/ann/consistency?${query}`, await token(tenantId, ['admin']));
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toMatch(/^(period|last|extra)$/);
    },
  );
});
