import { Producer } from 'kafkajs';
import { TOPICS } from '@pacer/contracts';
import { pollUntil, RunningService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import {
  call,
  dealWon,
  ledgerSum,
  memberJoined,
  PLAN_BODY,
  produce,
  settingsUpdated,
  token,
  startCommissionBed,
  stopCommissionBed,
} from './commission-test-kit';

// Who may read and change what (SPEC §7), and the tenant calendar from the roster topic.
describe('commission auth and roster', () => {
  let svc: RunningService;
  let producer: Producer;
  let ledger: TopicRecorder;
  const kafka = testKafka();
  const tenantId = uniqueName('t-auth');

  beforeAll(async () => {
    ({ svc, producer, ledger } = await startCommissionBed(kafka));
    const admin = await token(tenantId, ['admin']);
    await call(svc.baseUrl, 'PUT', '/v1/plans/ae', admin, PLAN_BODY);
    for (const rep of ['ana', 'ben'])
      await call(svc.baseUrl, 'PUT', `/v1/reps/${rep}/plan`, admin, {
        planId: 'ae',
        effectiveFrom: '2026-01-01',
      });
    await produce(producer, svc.topic(TOPICS.roster), [
      memberJoined(tenantId, {
        teamId: 'north',
        repId: 'mia',
        role: 'MANAGER',
        effectiveFrom: '2026-01-01T00:00:00Z',
      }),
      memberJoined(tenantId, {
        teamId: 'north',
        repId: 'ana',
        role: 'AE',
        effectiveFrom: '2026-01-01T00:00:00Z',
      }),
      memberJoined(tenantId, {
        teamId: 'south',
        repId: 'ben',
        role: 'AE',
        effectiveFrom: '2026-01-01T00:00:00Z',
      }),
    ]);
    await produce(producer, svc.topic(TOPICS.activities), [
      dealWon(tenantId, {
        repId: 'ana',
        dealId: 'A1',
        amount: '10000.00',
        occurredAt: '2026-02-01T10:00:00Z',
      }),
      dealWon(tenantId, {
        repId: 'ben',
        dealId: 'B1',
        amount: '20000.00',
        occurredAt: '2026-02-01T10:00:00Z',
      }),
    ]);
    await pollUntil(
      () => call(svc.baseUrl, 'GET', '/v1/reps/ben/statements/FY2026-Q1', admin),
      (r) => r.body?.total === '1000.00',
      { timeoutMs: 30_000, what: 'statements' },
    );
  });

  afterAll(() => stopCommissionBed({ svc, producer, ledger }));

  const get = async (path: string, bearer?: string) => (await call(svc.baseUrl, 'GET', path, bearer)).status;

  it('needs a valid token (401)', async () => {
    expect(await get('/v1/reps/ana/statements/FY2026-Q1')).toBe(401);
    expect(await get('/v1/reps/ana/statements/FY2026-Q1', 'not-a-token')).toBe(401);
  });

  it('lets reps read only their own statements and estimates (403 otherwise)', async () => {
    const ana = await token(tenantId, ['rep'], 'ana');
    expect(await get('/v1/reps/ana/statements/FY2026-Q1', ana)).toBe(200);
    expect(await get('/v1/reps/ben/statements/FY2026-Q1', ana)).toBe(403);
    expect(
      (await call(svc.baseUrl, 'POST', '/v1/estimate', ana, { repId: 'ben', amount: '1.00' })).status,
    ).toBe(403);
    expect(await get('/v1/reps/ana/statements', ana)).toBe(200);
  });

  it("lets a manager read the statements of their team's reps only", async () => {
    const mia = await token(tenantId, ['manager'], 'mia');
    await pollUntil(
      () => get('/v1/reps/ana/statements/FY2026-Q1', mia),
      (s) => s === 200,
      { timeoutMs: 20_000, what: 'roster' },
    );
    expect(await get('/v1/reps/ben/statements/FY2026-Q1', mia)).toBe(403);
    const exceptions = await call(svc.baseUrl, 'GET', '/v1/exceptions', mia);
    expect(exceptions.status).toBe(200);
  });

  it('lets only admins change plans, assignments and quotas', async () => {
    const mia = await token(tenantId, ['manager'], 'mia');
    const ana = await token(tenantId, ['rep'], 'ana');
    for (const bearer of [mia, ana]) {
      expect((await call(svc.baseUrl, 'PUT', '/v1/plans/ae', bearer, PLAN_BODY)).status).toBe(403);
      expect(
        (
          await call(svc.baseUrl, 'PUT', '/v1/reps/ana/plan', bearer, {
            planId: 'ae',
            effectiveFrom: '2026-01-01',
          })
        ).status,
      ).toBe(403);
      expect(
        (await call(svc.baseUrl, 'PUT', '/v1/reps/ana/quotas/FY2026-Q1', bearer, { amount: '1.00' })).status,
      ).toBe(403);
    }
    const admin = await token(tenantId, ['admin']);
    const badKey = await call(svc.baseUrl, 'PUT', '/v1/reps/ana/quotas/2026-W01', admin, { amount: '1.00' });
    expect(badKey.status).toBe(400);
    const noPlan = await call(svc.baseUrl, 'PUT', '/v1/reps/ana/plan', admin, {
      planId: 'nope',
      effectiveFrom: '2026-01-01',
    });
    expect(noPlan.body.errors).toEqual([{ path: 'planId', message: 'no plan nope exists in this tenant' }]);
  });

  it("hides another tenant's data (404)", async () => {
    const other = await token(uniqueName('t-other'), ['admin']);
    expect(await get('/v1/reps/ana/statements/FY2026-Q1', other)).toBe(404);
    expect(await get('/v1/plans/ae', other)).toBe(404);
    const otherRep = await token(uniqueName('t-other'), ['rep'], 'ana');
    expect(await get('/v1/reps/ana/statements/FY2026-Q1', otherRep)).toBe(404);
  });

  it('recalculates periods in the new calendar when the tenant settings change, keeping the ledger equal to statements', async () => {
    const admin = await token(tenantId, ['admin']);
    // A fiscal year starting in February: 1 February 2026 falls in FY2027-Q1 instead of FY2026-Q1.
    await produce(producer, svc.topic(TOPICS.roster), [
      settingsUpdated(tenantId, { timezone: 'UTC', weekStartsOn: 1, fiscalYearStartMonth: 2 }),
    ]);
    const moved = await pollUntil(
      () => call(svc.baseUrl, 'GET', '/v1/reps/ana/statements/FY2027-Q1', admin),
      (r) => r.body?.total === '500.00',
      { timeoutMs: 30_000, what: 'statement in the new calendar' },
    );
    expect(moved.body.period).toMatchObject({ start: '2026-02-01T00:00:00Z', end: '2026-05-01T00:00:00Z' });
    const old = await call(svc.baseUrl, 'GET', '/v1/reps/ana/statements/FY2026-Q1', admin);
    expect(old.body.total).toBe('0.00');
    expect(old.body.notes[0]).toContain('no longer exists');
    await pollUntil(
      () => [
        ledgerSum(ledger.records, tenantId, 'ana', 'FY2026-Q1'),
        ledgerSum(ledger.records, tenantId, 'ana', 'FY2027-Q1'),
      ],
      ([a, b]) => a === '0.00' && b === '500.00',
      { timeoutMs: 20_000, what: 'ledger in the new calendar' },
    );
  });
});
