import { Producer } from 'kafkajs';
import { TOPICS } from '@pacer/contracts';
import { pollUntil, RunningService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import type { PlanBody } from '@pacer/contracts';
import { computeStatement } from '../src/calculation/statement-calculator';
import {
  call,
  dealCancelled,
  dealWon,
  deltas,
  ledgerSum,
  PLAN_BODY,
  produce,
  token,
  voided,
  waitConsumed,
  startCommissionBed,
  stopCommissionBed,
} from './commission-test-kit';

// Deals in on the activities topic → statements through the API and deltas on the commissions topic.
describe('commission ledger on Kafka and Postgres', () => {
  let svc: RunningService;
  let producer: Producer;
  let ledger: TopicRecorder;
  let plansTopic: TopicRecorder;
  const kafka = testKafka();

  beforeAll(async () => {
    ({ svc, producer, ledger } = await startCommissionBed(kafka));
    plansTopic = await new TopicRecorder(kafka, [svc.topic(TOPICS.plans)]).start();
  });

  afterAll(async () => {
    await plansTopic?.stop();
    await stopCommissionBed({ svc, producer, ledger });
  });

  async function setUpRep(
    tenantId: string,
    repId: string,
    quota: string | null = '100000.00',
    body: object = PLAN_BODY,
  ): Promise<string> {
    const admin = await token(tenantId, ['admin']);
    expect((await call(svc.baseUrl, 'PUT', '/v1/plans/ae', admin, body)).status).toBe(201);
    expect(
      (
        await call(svc.baseUrl, 'PUT', `/v1/reps/${repId}/plan`, admin, {
          planId: 'ae',
          effectiveFrom: '2026-01-01',
        })
      ).status,
    ).toBe(201);
    if (quota !== null)
      expect(
        (await call(svc.baseUrl, 'PUT', `/v1/reps/${repId}/quotas/FY2026-Q1`, admin, { amount: quota }))
          .status,
      ).toBe(201);
    return admin;
  }

  async function statementOf(
    tenantId: string,
    repId: string,
    periodKey: string,
    total: string,
  ): Promise<any> {
    const admin = await token(tenantId, ['admin']);
    return (
      await pollUntil(
        () => call(svc.baseUrl, 'GET', `/v1/reps/${repId}/statements/${periodKey}`, admin),
        (r) => r.status === 200 && r.body.total === total,
        { timeoutMs: 30_000, what: `statement ${repId} ${periodKey} total ${total}` },
      )
    ).body;
  }

  it('publishes plan versions, assignments and quotas to the plans topic, once each', async () => {
    const tenantId = uniqueName('t-plans');
    const admin = await setUpRep(tenantId, 'r1');
    // Same body again: the latest version already says this, so no new version.
    const again = await call(svc.baseUrl, 'PUT', '/v1/plans/ae', admin, PLAN_BODY);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ planId: 'ae', version: 1, tierMode: 'graduated' });
    const v2 = await call(svc.baseUrl, 'PUT', '/v1/plans/ae', admin, { ...PLAN_BODY, cap: '50000.00' });
    expect(v2.body).toMatchObject({ version: 2, cap: '50000.00' });
    const plan = await call(svc.baseUrl, 'GET', '/v1/plans/ae', admin);
    expect(plan.body.version).toBe(2);
    expect(plan.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    const mine = () => plansTopic.json<any>().filter((e) => e.tenantid === tenantId);
    await pollUntil(mine, (events) => events.length >= 4, { timeoutMs: 20_000, what: 'plan events' });
    expect(mine().map((e) => [e.type, e.subject])).toEqual([
      ['pacer.plan.version_created.v1', 'ae'],
      ['pacer.plan.assigned.v1', 'r1'],
      ['pacer.plan.quota_set.v1', 'r1'],
      ['pacer.plan.version_created.v1', 'ae'],
    ]);
    const keys = plansTopic.records.filter((r) => r.value?.toString().includes(tenantId)).map((r) => r.key);
    expect(keys).toEqual([`${tenantId}:plan:ae`, `${tenantId}:r1`, `${tenantId}:r1`, `${tenantId}:plan:ae`]);
  });

  it('rejects invalid plans with field paths', async () => {
    const admin = await token(uniqueName('t-invalid'), ['admin']);
    const res = await call(svc.baseUrl, 'PUT', '/v1/plans/bad', admin, {
      ...PLAN_BODY,
      currency: 'ABC',
      tiers: [
        { from: '0.5', rate: '1.5' },
        { from: '0.2', rate: '0.1' },
      ],
      spiffs: [{ id: 's', metric: 'calls', threshold: '10', amount: '5.00' }],
      extra: true,
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    // The shared input rules answer first, every field at once: the unknown field and the currency.
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'extra', message: 'property extra should not exist' },
        expect.objectContaining({ path: 'currency' }),
      ]),
    );
    expect(res.body.errors.map((e: { path: string }) => e.path)).not.toContain('tiers.0.rate');
    const rules = await call(svc.baseUrl, 'PUT', '/v1/plans/bad', admin, {
      ...PLAN_BODY,
      tiers: [
        { from: '0.5', rate: '1.5' },
        { from: '0.2', rate: '0.1' },
      ],
      spiffs: [{ id: 's', metric: 'calls', threshold: '10', amount: '5.00' }],
    });
    expect(rules.status).toBe(400);
    expect(rules.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'tiers.0.rate', message: 'must be between 0 and 1' },
        expect.objectContaining({ path: 'spiffs.0.metric' }),
        { path: 'tiers.0.from', message: 'the first tier must start at 0' },
      ]),
    );
    const shape = await call(svc.baseUrl, 'PUT', '/v1/plans/bad', admin, {
      ...PLAN_BODY,
      period: 'week',
      tiers: [{ from: 'x', rate: '0.1' }],
    });
    expect(shape.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'period' }),
        expect.objectContaining({ path: 'tiers.0.from' }),
      ]),
    );
  });

  it('turns deals into the SPEC worked example, explained line by line, with deltas summing to the total', async () => {
    const tenantId = uniqueName('t-worked');
    await setUpRep(tenantId, 'r1');
    await produce(producer, svc.topic(TOPICS.activities), [
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D2',
        amount: '50000.00',
        occurredAt: '2026-02-10T10:00:00Z',
      }),
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D3',
        amount: '50000.00',
        occurredAt: '2026-03-10T10:00:00Z',
      }),
    ]);
    // 100,000 exactly: both at 5%, and the SPIFF reached on the boundary.
    await statementOf(tenantId, 'r1', 'FY2026-Q1', '6000.00');
    // D1 arrives late and re-orders the bands: every line is corrected by a new delta.
    await produce(producer, svc.topic(TOPICS.activities), [
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D1',
        amount: '60000.00',
        occurredAt: '2026-01-10T10:00:00Z',
      }),
    ]);
    const statement = await statementOf(tenantId, 'r1', 'FY2026-Q1', '11000.00');
    expect(statement).toMatchObject({
      repId: 'r1',
      periodKey: 'FY2026-Q1',
      planId: 'ae',
      planVersion: 1,
      quota: '100000.00',
      credited: '160000.00',
      attainment: '1.6',
      currency: 'USD',
    });
    expect(statement.breakdown.map((l: any) => [l.lineId, l.amount])).toEqual([
      ['deal:D1', '3000.00'],
      ['deal:D2', '2800.00'],
      ['spiff:club', '1000.00'],
      ['deal:D3', '4200.00'],
    ]);
    const lines = statement.lines as any[];
    expect(lines.reduce((s, l) => s + Number(l.amount), 0).toFixed(2)).toBe('11000.00');
    expect(lines.find((l) => l.lineId === 'deal:D3#1')).toMatchObject({
      kind: 'adjustment',
      reason: 'recalculated',
      dealId: 'D3',
    });
    for (const l of lines) expect(l.sourceEventIds.length).toBeGreaterThan(0);
    const d2 = lines.find((l) => l.lineId === 'deal:D2#1');
    expect(d2?.bands).toEqual([
      { from: '0', to: '1.00', rate: '0.05', credit: '40000.00' },
      { from: '1.00', to: '1.50', rate: '0.08', credit: '10000.00' },
    ]);
    await pollUntil(
      () => ledgerSum(ledger.records, tenantId, 'r1', 'FY2026-Q1'),
      (s) => s === '11000.00',
      { timeoutMs: 20_000, what: 'deltas' },
    );
    const events = deltas(ledger.records, tenantId);
    expect(new Set(events.map((e) => e.data.lineId)).size).toBe(events.length);
    expect(events.map((e) => e.data.lineId).sort()).toEqual(lines.map((l) => l.lineId).sort());

    // Cancel D2 within the window: the period is recalculated and the difference posted as clawbacks.
    await produce(producer, svc.topic(TOPICS.activities), [
      dealCancelled(tenantId, { repId: 'r1', dealId: 'D2', occurredAt: '2026-03-01T10:00:00Z' }),
    ]);
    const after = await statementOf(tenantId, 'r1', 'FY2026-Q1', '6800.00');
    expect(
      after.lines.filter((l: any) => l.kind === 'clawback').map((l: any) => [l.dealId, l.amount]),
    ).toEqual([
      ['D2', '-2800.00'],
      ['D3', '-1400.00'],
    ]);
    await pollUntil(
      () => ledgerSum(ledger.records, tenantId, 'r1', 'FY2026-Q1'),
      (s) => s === '6800.00',
      { timeoutMs: 20_000, what: 'clawback deltas' },
    );
    const types = deltas(ledger.records, tenantId).map((e) => e.type);
    expect(types.filter((t) => t === 'pacer.commission.clawed_back.v1')).toHaveLength(2);
  });

  it('credits a deal id once: a second record, in a later batch or the same one, is an exception', async () => {
    const tenantId = uniqueName('t-dup-deal');
    const admin = await setUpRep(tenantId, 'r1');
    const topic = svc.topic(TOPICS.activities);
    await produce(producer, topic, [
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D1',
        amount: '60000.00',
        occurredAt: '2026-01-10T10:00:00Z',
      }),
    ]);
    await statementOf(tenantId, 'r1', 'FY2026-Q1', '3000.00');
    // After every deal of the period, as an extension would take it, but its deal id is stored already.
    await produce(producer, topic, [
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D1',
        activityId: 'won-D1-again',
        amount: '10000.00',
        occurredAt: '2026-02-10T10:00:00Z',
      }),
    ]);
    await pollUntil(
      () => call(svc.baseUrl, 'GET', '/v1/exceptions?repId=r1', admin),
      (r) => r.body?.items?.length === 1,
      { timeoutMs: 30_000, what: 'the duplicate of D1' },
    );
    // Two records of D2 in one batch: neither was stored before the batch's insert.
    await produce(producer, topic, [
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D2',
        amount: '50000.00',
        occurredAt: '2026-03-01T10:00:00Z',
      }),
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'D2',
        activityId: 'won-D2-again',
        amount: '5000.00',
        occurredAt: '2026-03-02T10:00:00Z',
      }),
    ]);
    // D1 3,000; D2 40,000 at 5% + 10,000 at 8% = 2,800; the SPIFF at D2.
    const statement = await statementOf(tenantId, 'r1', 'FY2026-Q1', '6800.00');
    expect(statement.credited).toBe('110000.00');
    const exceptions = await pollUntil(
      () => call(svc.baseUrl, 'GET', '/v1/exceptions?repId=r1', admin),
      (r) => r.body?.items?.length === 2,
      { timeoutMs: 30_000, what: 'the duplicates of D1 and D2' },
    );
    expect(exceptions.body.items.map((e: any) => [e.activityId, e.reason])).toEqual([
      ['won-D1-again', 'duplicate_deal'],
      ['won-D2-again', 'duplicate_deal'],
    ]);
  });

  it('changes nothing when the same event is delivered twice', async () => {
    const tenantId = uniqueName('t-redeliver');
    await setUpRep(tenantId, 'r1');
    const win = dealWon(tenantId, {
      repId: 'r1',
      dealId: 'X1',
      amount: '10000.00',
      occurredAt: '2026-02-01T10:00:00Z',
    });
    await produce(producer, svc.topic(TOPICS.activities), [win]);
    await statementOf(tenantId, 'r1', 'FY2026-Q1', '500.00');
    const count = async () =>
      (
        (await svc.dataSource.query(`SELECT count(*)::int AS n FROM ledger_lines WHERE tenant_id = $1`, [
          tenantId,
        ])) as { n: number }[]
      )[0]?.n;
    const before = await count();
    await produce(producer, svc.topic(TOPICS.activities), [win, win]);
    await waitConsumed(kafka, svc.dataSource, svc.groupId, [
      svc.topic(TOPICS.activities),
      svc.topic(TOPICS.roster),
    ]);
    expect(await count()).toBe(before);
    expect((await statementOf(tenantId, 'r1', 'FY2026-Q1', '500.00')).lines).toHaveLength(1);
  });

  it('credits a deal that arrived before the plan and quota once they arrive, and voids it as if never recorded', async () => {
    const tenantId = uniqueName('t-late-plan');
    const admin = await token(tenantId, ['admin']);
    const win = dealWon(tenantId, {
      repId: 'r9',
      dealId: 'EARLY',
      amount: '120000.00',
      occurredAt: '2026-02-01T10:00:00Z',
    });
    await produce(producer, svc.topic(TOPICS.activities), [
      win,
      dealWon(tenantId, {
        repId: 'r9',
        dealId: 'EUR',
        amount: '5000.00',
        currency: 'EUR',
        occurredAt: '2026-02-02T10:00:00Z',
      }),
    ]);
    const early = await pollUntil(
      () => call(svc.baseUrl, 'GET', '/v1/exceptions?repId=r9', admin),
      (r) => r.body?.items?.length === 2,
      { timeoutMs: 30_000, what: 'no-plan exceptions' },
    );
    expect(early.body.items.map((e: any) => e.reason)).toEqual(['no_plan', 'no_plan']);
    await setUpRep(tenantId, 'r9');
    // 100,000 at 5% + 20,000 at 8% + the SPIFF.
    const statement = await statementOf(tenantId, 'r9', 'FY2026-Q1', '7600.00');
    expect(statement.exceptions).toEqual([
      expect.objectContaining({ dealId: 'EUR', reason: 'currency_mismatch', expectedCurrency: 'USD' }),
    ]);
    const listed = await call(svc.baseUrl, 'GET', '/v1/exceptions', admin);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ dealId: 'EUR', reason: 'currency_mismatch', periodKey: 'FY2026-Q1' }),
    ]);
    expect(listed.body.nextCursor).toBeNull();

    await produce(producer, svc.topic(TOPICS.activities), [voided(tenantId, win)]);
    const empty = await statementOf(tenantId, 'r9', 'FY2026-Q1', '0.00');
    expect(empty.lines.filter((l: any) => l.reason === 'activity_voided').map((l: any) => l.dealId)).toEqual([
      'EARLY',
    ]);
    await pollUntil(
      () => ledgerSum(ledger.records, tenantId, 'r9', 'FY2026-Q1'),
      (s) => s === '0.00',
      { timeoutMs: 20_000, what: 'void deltas' },
    );
  });

  it('estimates a hypothetical deal without changing anything', async () => {
    const tenantId = uniqueName('t-estimate');
    await setUpRep(tenantId, 'r1');
    await produce(producer, svc.topic(TOPICS.activities), [
      dealWon(tenantId, {
        repId: 'r1',
        dealId: 'E1',
        amount: '90000.00',
        occurredAt: '2026-01-10T10:00:00Z',
      }),
    ]);
    await statementOf(tenantId, 'r1', 'FY2026-Q1', '4500.00');
    const rep = await token(tenantId, ['rep'], 'r1');
    const res = await call(svc.baseUrl, 'POST', '/v1/estimate', rep, {
      repId: 'r1',
      amount: '20000.00',
      occurredAt: '2026-03-01T00:00:00Z',
    });
    expect(res.status).toBe(200);
    // 10,000 at 5% + 10,000 at 8% = 1,300 plus the SPIFF the deal would reach.
    expect(res.body).toMatchObject({
      periodKey: 'FY2026-Q1',
      commission: '2300.00',
      totalBefore: '4500.00',
      totalAfter: '6800.00',
    });
    expect(res.body.dealLine.amount).toBe('1300.00');
    expect(res.body.changes).toEqual([expect.objectContaining({ lineId: 'spiff:club', delta: '1000.00' })]);
    await statementOf(tenantId, 'r1', 'FY2026-Q1', '4500.00');
    const other = await call(svc.baseUrl, 'POST', '/v1/estimate', rep, { repId: 'r2', amount: '1.00' });
    expect(other.status).toBe(403);
  });

  it('serves a period with a plan but no deals, lists statements, and pages exceptions', async () => {
    const tenantId = uniqueName('t-empty');
    const admin = await setUpRep(tenantId, 'r1');
    const empty = await call(svc.baseUrl, 'GET', '/v1/reps/r1/statements/FY2026-Q2', admin);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ periodKey: 'FY2026-Q2', total: '0.00', quota: null, lines: [] });
    expect(empty.body.notes[0]).toContain('No quota is set for FY2026-Q2');
    expect((await call(svc.baseUrl, 'GET', '/v1/reps/r1/statements/2026-04', admin)).status).toBe(404);
    expect((await call(svc.baseUrl, 'GET', '/v1/reps/r1/statements/FY2025-Q4', admin)).status).toBe(404);

    await produce(
      producer,
      svc.topic(TOPICS.activities),
      ['GBP', 'EUR', 'JPY'].map((currency, i) =>
        dealWon(tenantId, {
          repId: 'r1',
          dealId: `X${i}`,
          amount: '100.00',
          currency,
          occurredAt: `2026-02-0${i + 1}T10:00:00Z`,
        }),
      ),
    );
    await statementOf(tenantId, 'r1', 'FY2026-Q1', '0.00');
    const first = await pollUntil(
      () => call(svc.baseUrl, 'GET', '/v1/exceptions?limit=2', admin),
      (r) => r.body?.items?.length === 2,
      { timeoutMs: 20_000, what: 'exceptions' },
    );
    expect(first.body.items.map((e: any) => e.currency)).toEqual(['GBP', 'EUR']);
    const second = await call(
      svc.baseUrl,
      'GET',
      `/v1/exceptions?limit=2&cursor=${first.body.nextCursor}`,
      admin,
    );
    expect(second.body).toMatchObject({
      items: [expect.objectContaining({ currency: 'JPY' })],
      nextCursor: null,
    });
    const list = await call(svc.baseUrl, 'GET', '/v1/reps/r1/statements', admin);
    expect(list.body.items).toEqual([
      expect.objectContaining({ periodKey: 'FY2026-Q1', total: '0.00', planId: 'ae' }),
    ]);
  });

  it('extends a statement deal by deal exactly as computing it whole would', async () => {
    const tenantId = uniqueName('t-extend');
    const body = {
      ...PLAN_BODY,
      cap: '9000.00',
      spiffs: [...PLAN_BODY.spiffs, { id: 'three', metric: 'dealsWon', threshold: '3', amount: '100.00' }],
    };
    await setUpRep(tenantId, 'r1', '100000.00', body);
    const events = Array.from({ length: 8 }, (_, i) =>
      dealWon(tenantId, {
        repId: 'r1',
        dealId: `E${i}`,
        amount: `${20000 + i * 1111}.11`,
        occurredAt: `2026-02-0${i + 1}T10:00:00Z`,
      }),
    );
    // One deal at a time, in order: each is appended to the stored calculation.
    for (const [i, event] of events.entries()) {
      await produce(producer, svc.topic(TOPICS.activities), [event]);
      await pollUntil(
        async () =>
          (
            await call(
              svc.baseUrl,
              'GET',
              '/v1/reps/r1/statements/FY2026-Q1',
              await token(tenantId, ['admin']),
            )
          ).body,
        (b) => b?.breakdown?.filter((l: any) => l.kind === 'deal').length === i + 1,
        { timeoutMs: 20_000, what: `deal ${i}` },
      );
    }
    const facts = events.map((e) => {
      const d = e.data as any;
      return {
        activityId: d.activityId,
        dealId: d.dealId,
        wonEventId: e.id,
        occurredAt: d.occurredAt,
        primaryRepId: 'r1',
        amount: d.amount,
        share: '1',
        credit: d.amount,
        currency: 'USD',
      };
    });
    const admin = await token(tenantId, ['admin']);
    const plan = await call(svc.baseUrl, 'GET', '/v1/plans/ae', admin);
    const quotas = await call(svc.baseUrl, 'GET', '/v1/reps/r1/quotas', admin);
    const whole = computeStatement({
      repId: 'r1',
      periodKey: 'FY2026-Q1',
      window: { start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z', truncated: false },
      plan: { planId: 'ae', version: 1, eventId: plan.body.eventId, body: body as PlanBody },
      quota: { amount: '100000.00', eventId: quotas.body.quotas[0].eventId },
      deals: facts,
      timezone: 'UTC',
    });
    const statement = (await call(svc.baseUrl, 'GET', '/v1/reps/r1/statements/FY2026-Q1', admin)).body;
    expect(statement.breakdown).toEqual(JSON.parse(JSON.stringify(whole.lines)));
    expect(statement.total).toBe(whole.total);
    expect(statement.total).toBe('9000.00');
    await pollUntil(
      () => ledgerSum(ledger.records, tenantId, 'r1', 'FY2026-Q1'),
      (s) => s === whole.total,
      { timeoutMs: 20_000, what: 'deltas' },
    );

    // A late deal is computed whole, and the result is the same as computing everything again.
    const late = dealWon(tenantId, {
      repId: 'r1',
      dealId: 'LATE',
      amount: '500.00',
      occurredAt: '2026-01-15T10:00:00Z',
    });
    await produce(producer, svc.topic(TOPICS.activities), [late]);
    const again = computeStatement({
      ...{ repId: 'r1', periodKey: 'FY2026-Q1', timezone: 'UTC' },
      window: { start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z', truncated: false },
      plan: { planId: 'ae', version: 1, eventId: plan.body.eventId, body: body as PlanBody },
      quota: { amount: '100000.00', eventId: quotas.body.quotas[0].eventId },
      deals: [
        ...facts,
        {
          activityId: 'won-LATE',
          dealId: 'LATE',
          wonEventId: late.id,
          occurredAt: '2026-01-15T10:00:00Z',
          primaryRepId: 'r1',
          amount: '500.00',
          share: '1',
          credit: '500.00',
          currency: 'USD',
        },
      ],
    });
    const after = await pollUntil(
      async () => (await call(svc.baseUrl, 'GET', '/v1/reps/r1/statements/FY2026-Q1', admin)).body,
      (b) => b?.breakdown?.length === again.lines.length,
      { timeoutMs: 20_000, what: 'late deal' },
    );
    expect(after.breakdown).toEqual(JSON.parse(JSON.stringify(again.lines)));
    await pollUntil(
      () => ledgerSum(ledger.records, tenantId, 'r1', 'FY2026-Q1'),
      (s) => s === again.total,
      { timeoutMs: 20_000, what: 'deltas' },
    );
  });
});
