import { Producer } from 'kafkajs';
import { PacerEvent } from '@pacer/contracts';
import { RunningService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import {
  call,
  dealWon,
  feedBed,
  memberJoined,
  PLAN_BODY,
  startCommissionBed,
  stopCommissionBed,
  token,
} from './commission-test-kit';

const Q1 = 'FY2026-Q1';
const Q2 = 'FY2026-Q2';

// GET /v1/periods/{periodKey} and GET /v1/periods on the real stack: the state follows close,
// reopen and payout (a reopen is remembered through the audit log), counts follow approvals, and
// another tenant's period is simply open.
describe('commission periods as a resource', () => {
  let svc: RunningService;
  let producer: Producer;
  let ledger: TopicRecorder;
  const kafka = testKafka();

  beforeAll(async () => {
    ({ svc, producer, ledger } = await startCommissionBed(kafka));
  });

  afterAll(() => stopCommissionBed({ svc, producer, ledger }));

  const api = <T = any>(method: string, path: string, bearer: string, body?: unknown) =>
    call<T>(svc.baseUrl, method, path, bearer, body);

  const send = (...events: PacerEvent[]): Promise<void> => feedBed(kafka, { svc, producer, ledger }, events);

  async function period(bearer: string, key: string): Promise<any> {
    const res = await api('GET', `/v1/periods/${key}`, bearer);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('follows a period from open through close, reopen, close, approval and payout', async () => {
    const tenantId = uniqueName('t-periods');
    const admin = await token(tenantId, ['admin']);
    expect((await api('PUT', '/v1/plans/ae', admin, PLAN_BODY)).status).toBe(201);
    for (const rep of ['r1', 'r2']) {
      expect((await api('PUT', `/v1/reps/${rep}/plan`, admin, { planId: 'ae', effectiveFrom: '2026-01-01' })).status).toBe(201);
      expect((await api('PUT', `/v1/reps/${rep}/quotas/${Q1}`, admin, { amount: '100000.00' })).status).toBe(201);
    }
    await send(
      memberJoined(tenantId, { teamId: 'east', repId: 'r2', role: 'AE', effectiveFrom: '2025-12-01T00:00:00Z' }),
      memberJoined(tenantId, { teamId: 'east', repId: 'm1', role: 'MANAGER', effectiveFrom: '2025-12-01T00:00:00Z' }),
      dealWon(tenantId, { repId: 'r1', dealId: 'D1', amount: '60000.00', occurredAt: '2026-01-10T10:00:00Z' }),
      dealWon(tenantId, { repId: 'r2', dealId: 'E1', amount: '20000.00', occurredAt: '2026-01-20T10:00:00Z' }),
    );

    const fresh = await period(admin, Q1);
    expect(fresh).toEqual({
      periodKey: Q1,
      status: 'open',
      closedAt: null,
      closedBy: null,
      statements: { total: 2, draft: 2, approved: 0, paid: 0 },
    });
    // Nothing was ever closed: the list is empty.
    expect((await api('GET', '/v1/periods', admin)).body).toEqual({ items: [], nextCursor: null });

    expect((await api('POST', `/v1/periods/${Q1}/close`, admin)).status).toBe(201);
    const closed = await period(admin, Q1);
    expect(closed).toMatchObject({ periodKey: Q1, status: 'closed', statements: { total: 2, draft: 2, approved: 0, paid: 0 } });
    expect(closed.closedBy).toEqual(expect.any(String));
    expect(Date.parse(closed.closedAt)).not.toBeNaN();
    expect(closed.reopenedAt).toBeUndefined();

    expect((await api('POST', `/v1/periods/${Q1}/reopen`, admin)).status).toBe(201);
    const reopened = await period(admin, Q1);
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, closedBy: null, reopenedBy: closed.closedBy });
    expect(Date.parse(reopened.reopenedAt)).toBeGreaterThanOrEqual(Date.parse(closed.closedAt));
    // A period reopened is still listed: it was closed once.
    const listedOpen = await api('GET', '/v1/periods?status=open', admin);
    expect(listedOpen.body.items.map((p: any) => [p.periodKey, p.status])).toEqual([[Q1, 'open']]);

    expect((await api('POST', `/v1/periods/${Q1}/close`, admin)).status).toBe(201);
    for (const rep of ['r1', 'r2']) {
      expect((await api('POST', `/v1/reps/${rep}/statements/${Q1}/approve`, admin, {})).status).toBe(200);
    }
    expect(await period(admin, Q1)).toMatchObject({
      status: 'closed',
      reopenedAt: reopened.reopenedAt,
      statements: { total: 2, draft: 0, approved: 2, paid: 0 },
    });
    // A manager sees the state, with the counts of the reps of the teams they manage.
    const manager = await token(tenantId, ['manager'], 'm1');
    expect(await period(manager, Q1)).toMatchObject({ status: 'closed', statements: { total: 1, approved: 1 } });

    expect((await api('POST', `/v1/periods/${Q1}/payout`, admin)).status).toBe(201);
    const paid = await period(admin, Q1);
    expect(paid).toMatchObject({ status: 'paid', paidBy: closed.closedBy, statements: { total: 2, draft: 0, approved: 0, paid: 2 } });
    expect(Date.parse(paid.paidAt)).toBeGreaterThanOrEqual(Date.parse(paid.closedAt));

    // Another tenant's admin sees an open period with nothing in it.
    const stranger = await token(uniqueName('t-other'), ['admin']);
    expect(await period(stranger, Q1)).toEqual({
      periodKey: Q1,
      status: 'open',
      closedAt: null,
      closedBy: null,
      statements: { total: 0, draft: 0, approved: 0, paid: 0 },
    });
    expect((await api('GET', '/v1/periods', stranger)).body).toEqual({ items: [], nextCursor: null });
  });

  it('lists periods newest state change first, filters by status and pages with the keyset cursor', async () => {
    const tenantId = uniqueName('t-periods-list');
    const admin = await token(tenantId, ['admin']);
    // Periods with no statements close too (the whole tenant's key is closed). Closed in the order
    // whose newest-first is also key order, so two closes in the same millisecond list the same way.
    for (const key of [Q1, Q2, 'FY2026', '2026-01']) {
      expect((await api('POST', `/v1/periods/${key}/close`, admin)).status).toBe(201);
    }
    expect((await api('POST', `/v1/periods/${Q1}/reopen`, admin)).status).toBe(201);
    const all = await api('GET', '/v1/periods', admin);
    expect(all.status).toBe(200);
    expect(all.body.items.map((p: any) => [p.periodKey, p.status])).toEqual([
      [Q1, 'open'],
      ['2026-01', 'closed'],
      ['FY2026', 'closed'],
      [Q2, 'closed'],
    ]);
    expect(all.body.items[1].statements).toEqual({ total: 0, draft: 0, approved: 0, paid: 0 });

    const closedOnly = await api('GET', '/v1/periods?status=closed', admin);
    expect(closedOnly.body.items.map((p: any) => p.periodKey)).toEqual(['2026-01', 'FY2026', Q2]);
    expect((await api('GET', '/v1/periods?status=paid', admin)).body.items).toEqual([]);

    const keys: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await api('GET', `/v1/periods?limit=1${query}`, admin);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      keys.push(...page.body.items.map((p: any) => p.periodKey));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(keys).toEqual([Q1, '2026-01', 'FY2026', Q2]);
  });

  it('refuses reps, missing tokens and hostile inputs', async () => {
    const tenantId = uniqueName('t-periods-auth');
    const rep = await token(tenantId, ['rep'], 'r1');
    const admin = await token(tenantId, ['admin']);
    expect((await api('GET', `/v1/periods/${Q1}`, rep)).status).toBe(403);
    expect((await api('GET', '/v1/periods', rep)).status).toBe(403);
    expect((await fetch(`${svc.baseUrl}/v1/periods/${Q1}`)).status).toBe(401);
    expect((await fetch(`${svc.baseUrl}/v1/periods`)).status).toBe(401);

    for (const bad of ['not-a-period', 'FY2026-Q5', '2026-13', encodeURIComponent('FY2026-Q1\u0000'), "x'%3B--"]) {
      const res = await api('GET', `/v1/periods/${bad}`, admin);
      expect(res.status).toBe(400);
      expect(res.contentType).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(res.body)).toContain('periodKey');
    }
    for (const [query, field] of [
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${encodeURIComponent('a\u0000b')}`, 'cursor'],
      ['status=frozen', 'status'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['unknown=1', 'unknown'],
    ] as const) {
      const res = await api('GET', `/v1/periods?${query}`, admin);
      expect(res.status).toBe(400);
      expect(res.contentType).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });
});
