import { Decimal } from 'decimal.js';
import { Producer } from 'kafkajs';
import { PacerEvent } from '@pacer/contracts';
import { pollUntil, RunningService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import {
  call,
  dealWon,
  feedBed,
  ledgerSum,
  memberJoined,
  PLAN_BODY,
  settingsUpdated,
  token,
  voided,
  startCommissionBed,
  stopCommissionBed,
} from './commission-test-kit';

const Q1 = 'FY2026-Q1';

// Governance on the real stack: close, late facts booked as prior-period adjustments in the open
// period, reopen, approval, payout and its file — and after each, the deltas on the topic still sum
// to every statement's total.
describe('commission governance on Kafka and Postgres', () => {
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

  async function statement(admin: string, repId: string, periodKey: string): Promise<any> {
    const res = await api('GET', `/v1/reps/${repId}/statements/${periodKey}`, admin);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Every statement's total equals the sum of its deltas on the topic (once the relay caught up). */
  async function expectDeltaSums(tenantId: string, admin: string, keys: [string, string][]): Promise<void> {
    for (const [repId, periodKey] of keys) {
      const total = (await statement(admin, repId, periodKey)).total as string;
      await pollUntil(
        () => ledgerSum(ledger.records, tenantId, repId, periodKey),
        (sum) => sum === total,
        { timeoutMs: 30_000, what: `deltas of ${repId} ${periodKey} to sum to ${total}` },
      );
    }
  }

  function governance(tenantId: string, type: string): any[] {
    return ledger.json<any>().filter((e) => e.tenantid === tenantId && e.type === type);
  }

  /** The tenant's events of a type once the outbox relay has published at least `count` of them. */
  function published(tenantId: string, type: string, count: number): Promise<any[]> {
    return pollUntil(
      () => governance(tenantId, type),
      (events) => events.length >= count,
      { timeoutMs: 30_000, what: `${count} ${type}` },
    );
  }

  it('books late facts of a closed period in the open one, reopens, approves and pays, with every delta sum right', async () => {
    const tenantId = uniqueName('t-gov');
    const admin = await token(tenantId, ['admin']);
    expect((await api('PUT', '/v1/plans/ae', admin, PLAN_BODY)).status).toBe(201);
    for (const rep of ['r1', 'r2']) {
      expect(
        (await api('PUT', `/v1/reps/${rep}/plan`, admin, { planId: 'ae', effectiveFrom: '2026-01-01' }))
          .status,
      ).toBe(201);
      expect((await api('PUT', `/v1/reps/${rep}/quotas/${Q1}`, admin, { amount: '100000.00' })).status).toBe(
        201,
      );
    }
    const d2 = dealWon(tenantId, {
      repId: 'r1',
      dealId: 'D2',
      amount: '50000.00',
      occurredAt: '2026-02-10T10:00:00Z',
    });
    await send(
      memberJoined(tenantId, {
        teamId: 'east',
        repId: 'r2',
        role: 'AE',
        effectiveFrom: '2025-12-01T00:00:00Z',
      }),
      memberJoined(tenantId, {
        teamId: 'east',
        repId: 'm1',
        role: 'MANAGER',
        effectiveFrom: '2025-12-01T00:00:00Z',
      }),
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D1',
        amount: '60000.00',
        occurredAt: '2026-01-10T10:00:00Z',
      }),
      d2,
      dealWon(tenantId, {
        repId: 'r2',
        dealId: 'E1',
        amount: '20000.00',
        occurredAt: '2026-01-20T10:00:00Z',
      }),
    );
    const before = await statement(admin, 'r1', Q1);
    expect(before).toMatchObject({ total: '6800.00', status: 'draft' });
    const v = before.version as number;

    // Approve r1, then close Q1.
    const approved = await api('POST', `/v1/reps/r1/statements/${Q1}/approve`, admin, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: v, total: '6800.00' });
    const closed = await api('POST', `/v1/periods/${Q1}/close`, admin);
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ periodKey: Q1, closed: true, statements: 2 });
    expect((await api('POST', `/v1/periods/${Q1}/close`, admin)).status).toBe(200);

    // A late deal and a void of a closed period: Q1 stays frozen, the change is booked now.
    await send(
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D3',
        amount: '40000.00',
        occurredAt: '2026-03-01T10:00:00Z',
      }),
    );
    await send(voided(tenantId, d2));
    const frozen = await statement(admin, 'r1', Q1);
    expect(frozen).toMatchObject({ total: '6800.00', status: 'approved', version: v, closed: true });
    expect(frozen.bookedInLaterPeriods).toBe('-800.00');
    // D3 earned late; then D2's reversal and D3's move down a band when D2 was voided.
    const ppa = await published(tenantId, 'pacer.commission.prior_period_adjusted.v1', 3);
    const openKey = ppa[0]?.data.periodKey as string;
    expect(openKey).not.toBe(Q1);
    expect(ppa.every((e) => e.data.closedPeriodKey === Q1 && e.data.periodKey === openKey)).toBe(true);
    // The adjustments sum to exactly what recalculating Q1 would have changed: 6,000.00 − 6,800.00.
    expect(ppa.reduce((s, e) => s.plus(e.data.amount), new Decimal(0)).toFixed(2)).toBe('-800.00');
    expect(ppa.find((e) => e.data.dealId === 'D3')?.data).toMatchObject({
      amount: '3200.00',
      reason: 'late_deal',
    });
    const voidLine = ppa.find((e) => e.data.dealId === 'D2')?.data;
    expect(voidLine).toMatchObject({ amount: '-2800.00', reason: 'activity_voided' });
    const open = await statement(admin, 'r1', openKey);
    expect(open.total).toBe('-800.00');
    expect(open.lines.every((l: any) => l.kind === 'prior_period_adjustment')).toBe(true);
    await expectDeltaSums(tenantId, admin, [
      ['r1', Q1],
      ['r1', openKey],
    ]);

    // A manual adjustment to the closed period is booked in the open one too.
    const manual = await api('POST', '/v1/adjustments', admin, {
      repId: 'r1',
      periodKey: Q1,
      amount: '-150.00',
      reason: 'SE split',
    });
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({
      periodKey: openKey,
      requestedPeriodKey: Q1,
      amount: '-150.00',
      currency: 'USD',
    });
    expect((await statement(admin, 'r1', openKey)).total).toBe('-950.00');

    // Reopen: the booked adjustments stay; a new late deal now lands in Q1 itself and makes it a draft.
    const reopened = await api('POST', `/v1/periods/${Q1}/reopen`, admin);
    expect(reopened.status).toBe(201);
    await send(
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D4',
        amount: '10000.00',
        occurredAt: '2026-03-15T10:00:00Z',
      }),
    );
    const after = await statement(admin, 'r1', Q1);
    // Own lines 6,800.00 + D4 800.00; with the −800.00 booked later the calculation is 6,800.00.
    expect(after).toMatchObject({
      total: '7600.00',
      status: 'draft',
      version: v + 1,
      closed: false,
      bookedInLaterPeriods: '-800.00',
    });
    const v2 = (await statement(admin, 'r2', Q1)).version as number;
    expect((await statement(admin, 'r1', openKey)).total).toBe('-950.00');
    await expectDeltaSums(tenantId, admin, [
      ['r1', Q1],
      ['r1', openKey],
      ['r2', Q1],
    ]);

    // Payout needs a closed period with every statement approved, and names those that are not.
    await api('POST', `/v1/periods/${Q1}/close`, admin);
    const refused = await api('POST', `/v1/periods/${Q1}/payout`, admin);
    expect(refused.status).toBe(409);
    expect(refused.body.unapproved.map((u: any) => u.repId)).toEqual(['r1', 'r2']);
    expect(refused.body.detail).toContain('r1, r2');
    // r2's manager at the period's end approves r2; the manager may not approve r1 (not in the team).
    const manager = await token(tenantId, ['manager'], 'm1');
    expect((await api('POST', `/v1/reps/r1/statements/${Q1}/approve`, manager, {})).status).toBe(403);
    expect((await api('POST', `/v1/reps/r2/statements/${Q1}/approve`, manager, {})).status).toBe(200);
    expect((await api('POST', `/v1/reps/r1/statements/${Q1}/approve`, admin, { version: v })).status).toBe(
      409,
    );
    expect(
      (await api('POST', `/v1/reps/r1/statements/${Q1}/approve`, admin, { version: v + 1 })).status,
    ).toBe(200);
    const paid = await api('POST', `/v1/periods/${Q1}/payout`, admin);
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ periodKey: Q1, payouts: 2 });
    expect((await api('POST', `/v1/periods/${Q1}/payout`, admin)).status).toBe(200);
    expect((await api('POST', `/v1/periods/${Q1}/reopen`, admin)).status).toBe(409);

    const file = await fetch(`${svc.baseUrl}/v1/periods/${Q1}/payout.csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    const rows = (await file.text()).trim().split('\r\n');
    expect(rows).toEqual([
      'repId,periodKey,currency,total,statementId,statementVersion',
      `r1,${Q1},USD,7600.00,r1/${Q1},${v + 1}`,
      `r2,${Q1},USD,1000.00,r2/${Q1},${v2}`,
    ]);
    const { items } = (await api('GET', `/v1/statements?periodKey=${Q1}`, admin)).body;
    expect(items.map((s: any) => [s.repId, s.status, s.total, s.version])).toEqual([
      ['r1', 'paid', '7600.00', v + 1],
      ['r2', 'paid', '1000.00', v2],
    ]);
    const teamList = await api('GET', `/v1/statements?periodKey=${Q1}&teamId=east`, manager);
    expect(teamList.body.items.map((s: any) => s.repId)).toEqual(['r2']);

    await pollUntil(
      () => governance(tenantId, 'pacer.commission.payout.v1'),
      (events) => events.length === 2,
      { timeoutMs: 30_000, what: 'two payout events' },
    );
    // Keyed by rep: two reps' events may sit on two partitions, so compare them in rep order.
    const payouts = governance(tenantId, 'pacer.commission.payout.v1').map((e) => e.data);
    expect(payouts.sort((a, b) => a.repId.localeCompare(b.repId))).toEqual([
      {
        repId: 'r1',
        periodKey: Q1,
        currency: 'USD',
        total: '7600.00',
        statementId: `r1/${Q1}`,
        statementVersion: v + 1,
      },
      {
        repId: 'r2',
        periodKey: Q1,
        currency: 'USD',
        total: '1000.00',
        statementId: `r2/${Q1}`,
        statementVersion: v2,
      },
    ]);
    expect(await published(tenantId, 'pacer.commission.period_closed.v1', 4)).toHaveLength(4);
    expect(await published(tenantId, 'pacer.commission.period_reopened.v1', 2)).toHaveLength(2);
    expect(await published(tenantId, 'pacer.commission.statement_approved.v1', 3)).toHaveLength(3);
    await expectDeltaSums(tenantId, admin, [
      ['r1', Q1],
      ['r1', openKey],
      ['r2', Q1],
    ]);

    // Every command is audited with its actor.
    const audit = await api('GET', '/v1/audit?limit=100', admin);
    expect(audit.status).toBe(200);
    const types = audit.body.items.map((r: any) => r.type);
    for (const t of [
      'period.closed',
      'period.reopened',
      'statement.approved',
      'period.paid',
      'adjustment.posted',
      'plan.version_created',
      'plan.assigned',
      'quota.set',
    ])
      expect(types).toContain(t);
    expect(audit.body.items.find((r: any) => r.type === 'period.closed')).toMatchObject({
      actor: { role: 'admin' },
      subject: { periodKey: Q1 },
    });
  });

  it('lets a rep dispute a line and an admin resolve it with and without an adjustment', async () => {
    const tenantId = uniqueName('t-dispute');
    const admin = await token(tenantId, ['admin']);
    const rep = await token(tenantId, ['rep'], 'r1');
    expect((await api('PUT', '/v1/plans/ae', admin, PLAN_BODY)).status).toBe(201);
    expect(
      (await api('PUT', '/v1/reps/r1/plan', admin, { planId: 'ae', effectiveFrom: '2026-01-01' })).status,
    ).toBe(201);
    await send(
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D1',
        amount: '10000.00',
        occurredAt: '2026-01-10T10:00:00Z',
      }),
    );
    expect(
      (
        await api('POST', `/v1/reps/r1/statements/${Q1}/lines/deal:D1/disputes`, rep, {
          comment: '=HYPERLINK("x")',
        })
      ).status,
    ).toBe(201);
    const other = await token(tenantId, ['rep'], 'r2');
    expect(
      (await api('POST', `/v1/reps/r1/statements/${Q1}/lines/deal:D1/disputes`, other, { comment: 'mine' }))
        .status,
    ).toBe(403);
    expect(
      (await api('POST', `/v1/reps/r1/statements/${Q1}/lines/nope/disputes`, rep, { comment: 'x' })).status,
    ).toBe(404);
    const second = await api('POST', `/v1/reps/r1/statements/${Q1}/lines/deal:D1/disputes`, rep, {
      comment: 'split was 50/50',
    });
    const open = await api('GET', '/v1/disputes?status=open', admin);
    expect(open.body.items).toHaveLength(2);
    const firstPage = await api('GET', '/v1/disputes?status=open&limit=1', admin);
    expect(firstPage.body.items).toHaveLength(1);
    const nextPage = await api(
      'GET',
      `/v1/disputes?status=open&limit=1&cursor=${firstPage.body.nextCursor}`,
      admin,
    );
    expect(nextPage.body).toMatchObject({ items: [open.body.items[1]], nextCursor: null });
    const forged = Buffer.from(JSON.stringify(['not a time', 'x'])).toString('base64url');
    expect((await api('GET', `/v1/disputes?cursor=${forged}`, admin)).status).toBe(400);
    expect((await api('GET', '/v1/disputes', rep)).body.items).toHaveLength(2);
    const first = open.body.items.find((d: any) => d.disputeId !== second.body.disputeId);
    const plain = await api('POST', `/v1/disputes/${first.disputeId}/resolve`, admin, {
      resolution: 'The line is right.',
    });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ status: 'resolved', adjustmentAmount: null, adjustment: null });
    const adjusted = await api('POST', `/v1/disputes/${second.body.disputeId}/resolve`, admin, {
      resolution: 'Agreed',
      adjustment: { amount: '120.00' },
    });
    expect(adjusted.body).toMatchObject({
      status: 'resolved',
      adjustmentAmount: '120.00',
      adjustment: { periodKey: Q1 },
    });
    expect(
      (await api('POST', `/v1/disputes/${second.body.disputeId}/resolve`, admin, { resolution: 'again' }))
        .status,
    ).toBe(409);
    const s = await statement(admin, 'r1', Q1);
    expect(s.total).toBe('620.00');
    expect(s.lines.find((l: any) => l.kind === 'manual_adjustment')).toMatchObject({
      amount: '120.00',
      disputeId: second.body.disputeId,
      reason: 'Agreed',
    });
    expect(
      (await published(tenantId, 'pacer.commission.dispute_resolved.v1', 2)).map(
        (e) => e.data.adjustmentAmount,
      ),
    ).toEqual([undefined, '120.00']);
    await expectDeltaSums(tenantId, admin, [['r1', Q1]]);

    // The statement CSV: formula-looking text neutralised, negative numbers stay numbers.
    await api('POST', '/v1/adjustments', admin, {
      repId: 'r1',
      periodKey: Q1,
      amount: '-20.00',
      reason: '=1+1',
    });
    const csv = await fetch(`${svc.baseUrl}/v1/reps/r1/statements/${Q1}.csv`, {
      headers: { authorization: `Bearer ${rep}` },
    });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toMatch(
      /^repId,periodKey,statementId,statementVersion,status,statementTotal,lineId,kind/,
    );
    expect(text).toContain(",-20.00,USD,'=1+1,");
  });

  it('holds a deal a rep recorded while approval is required until it is approved, then pays it in its closed period’s stead', async () => {
    const tenantId = uniqueName('t-approval');
    const admin = await token(tenantId, ['admin']);
    expect((await api('PUT', '/v1/plans/ae', admin, PLAN_BODY)).status).toBe(201);
    expect(
      (await api('PUT', '/v1/reps/r1/plan', admin, { planId: 'ae', effectiveFrom: '2026-01-01' })).status,
    ).toBe(201);
    const byRep = (e: PacerEvent, role: string): PacerEvent =>
      ({
        ...e,
        recordedby: 'sub-r1',
        recordedrole: role,
        recordedtime: '2026-02-01T00:00:00Z',
      }) as PacerEvent;
    // The deal arrives before the setting that requires approval (order independence).
    await send(
      byRep(
        dealWon(tenantId, {
          repId: 'r1',
          dealId: 'P1',
          amount: '10000.00',
          occurredAt: '2026-01-15T10:00:00Z',
        }),
        'rep',
      ),
    );
    await send(
      byRep(
        dealWon(tenantId, {
          repId: 'r1',
          dealId: 'I1',
          amount: '20000.00',
          occurredAt: '2026-01-16T10:00:00Z',
        }),
        'ingest',
      ),
    );
    await send(
      settingsUpdated(
        tenantId,
        { timezone: 'UTC', weekStartsOn: 1, fiscalYearStartMonth: 1, dealsRequireApproval: true },
        '2026-01-01T00:00:00Z',
      ),
    );
    expect((await statement(admin, 'r1', Q1)).total).toBe('1000.00');
    const pending = await api('GET', '/v1/deals?status=pending', admin);
    expect(pending.body.items.map((d: any) => [d.dealId, d.status])).toEqual([['P1', 'pending']]);
    await pollUntil(
      () => governance(tenantId, 'pacer.commission.deal_pending_approval.v1'),
      (events) => events.length === 1,
      { timeoutMs: 30_000, what: 'the pending-approval event' },
    );
    expect((await api('POST', `/v1/periods/${Q1}/close`, admin)).status).toBe(201);
    const approved = await api('POST', '/v1/deals/P1/approve', admin, {});
    expect(approved.body).toMatchObject({ dealId: 'P1', status: 'approved' });
    expect((await api('POST', '/v1/deals/P1/reject', admin, {})).status).toBe(409);
    expect((await api('POST', '/v1/deals/I1/approve', admin, {})).status).toBe(409);
    // Q1 is closed: the approved deal pays as a prior-period adjustment in the open period.
    expect((await statement(admin, 'r1', Q1)).total).toBe('1000.00');
    const ppa = await published(tenantId, 'pacer.commission.prior_period_adjusted.v1', 1);
    expect(ppa.map((e) => [e.data.dealId, e.data.amount, e.data.closedPeriodKey])).toEqual([
      ['P1', '500.00', Q1],
    ]);
    await expectDeltaSums(tenantId, admin, [
      ['r1', Q1],
      ['r1', ppa[0].data.periodKey],
    ]);
  });
});
