import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Producer } from 'kafkajs';
import { Activity, activityEventType, EVENT_TOPICS, eventKey, makeEvent, PacerEvent } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { Call, client, dateFromToday, kpiProducer, team } from './support/sprint-planning.harness';

// Sprint items linked to opportunities show the deal's current state from pacer.activities.v1
// (issue 17): order-independent, voids respected, and the board's ETag moves with it.
describe('the sprint board shows the deal state of linked items', () => {
  const tenant = uniqueName('deals');
  let svc: RunningService;
  let producer: Producer;
  let admin: Call;
  let sprintId: string;
  let seq = 0;

  const activity = (data: Activity): PacerEvent => {
    seq += 1;
    return makeEvent(activityEventType(data.kind), {
      id: `ev-${tenant}-${data.activityId}-${seq}`,
      tenantId: tenant,
      time: data.occurredAt,
      data: data as never,
    }) as PacerEvent;
  };
  const voidOf = (data: Activity): PacerEvent => {
    seq += 1;
    return makeEvent('pacer.activity.voided.v1', {
      id: `ev-${tenant}-void-${data.activityId}-${seq}`,
      tenantId: tenant,
      time: data.occurredAt,
      data: { activityId: data.activityId, repId: data.repId, reason: 'wrong', voidedKind: data.kind, voidedOccurredAt: data.occurredAt, voidedActivity: data },
    });
  };
  const produce = async (events: readonly PacerEvent[]): Promise<void> => {
    for (const e of events) {
      await producer.send({ topic: svc.topic(EVENT_TOPICS[e.type]), messages: [{ key: eventKey(e), value: JSON.stringify(e) }] });
    }
  };
  const item = async (itemId: string): Promise<{ etag: string | null; item: Record<string, unknown> | undefined }> => {
    const res = await admin('GET', `/v1/sprints/${sprintId}/board`);
    const items = (res.body.reps as { items: Record<string, unknown>[] }[]).flatMap((r) => r.items);
    return { etag: res.headers.get('etag'), item: items.find((i) => i['itemId'] === itemId) };
  };

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    producer = await kpiProducer();
    admin = await client(svc, tenant, ['admin']);
    await team(admin, 'north', 'island', { ana: 'AE' });
    sprintId = (await admin('POST', '/v1/teams/north/sprints', { startDate: dateFromToday(-1), lengthDays: 7, goal: 'close' })).body.sprintId;
    await admin('PUT', `/v1/sprints/${sprintId}/commitments/ana`, {
      targets: { dealsWon: 1 },
      items: [
        { itemId: 'i1', title: 'Close ACME', opportunityId: 'opp-acme' },
        { itemId: 'i2', title: 'Chase Initech', opportunityId: 'opp-initech' },
        { itemId: 'i3', title: 'Prospect' },
      ],
    });
  });
  afterAll(async () => {
    await producer?.disconnect();
    await svc?.close();
  });

  it('is null before anything is known and leaves unlinked items alone', async () => {
    const { item: i1 } = await item('i1');
    expect(i1).toMatchObject({ opportunityId: 'opp-acme', opportunity: null });
    expect((await item('i3')).item).not.toHaveProperty('opportunity');
  });

  it('follows stage, amount, close date, probability and win/cancel, whatever the order; voids roll it back', async () => {
    const before = (await item('i1')).etag;
    const created: Activity = {
      activityId: 'a1',
      kind: 'opportunity_created',
      repId: 'ana',
      occurredAt: '2026-11-02T09:00:00Z',
      opportunityId: 'opp-acme',
      amount: '10000.00',
      currency: 'USD',
      expectedCloseDate: '2026-12-20',
      probability: '0.2',
    };
    const negotiation: Activity = {
      activityId: 'a3',
      kind: 'opportunity_stage_changed',
      repId: 'ana',
      occurredAt: '2026-11-20T09:00:00Z',
      opportunityId: 'opp-acme',
      toStage: 'negotiation',
      amount: '12000.00',
      probability: '0.7',
    };
    const proposal: Activity = {
      activityId: 'a2',
      kind: 'opportunity_stage_changed',
      repId: 'ana',
      occurredAt: '2026-11-10T09:00:00Z',
      opportunityId: 'opp-acme',
      toStage: 'proposal',
      expectedCloseDate: '2026-12-31',
    };
    // Newest stage first, then the creation, then an older stage change.
    await produce([activity(negotiation), activity(created), activity(proposal)]);
    const open = await pollUntil(
      () => item('i1'),
      (r) => (r.item?.['opportunity'] as { probability?: string } | null)?.probability === '0.7' && (r.item?.['opportunity'] as { expectedCloseDate?: string }).expectedCloseDate === '2026-12-31',
      { timeoutMs: 30_000, what: 'the deal state on the board' },
    );
    expect(open.item?.['opportunity']).toEqual({
      opportunityId: 'opp-acme',
      stage: 'negotiation',
      status: 'open',
      amount: '12000.00',
      expectedCloseDate: '2026-12-31',
      probability: '0.7',
    });
    expect(open.etag).not.toBe(before);

    const won: Activity = { activityId: 'a4', kind: 'deal_won', repId: 'ana', occurredAt: '2026-11-25T09:00:00Z', dealId: 'd1', opportunityId: 'opp-acme', amount: '12000.00', currency: 'USD' };
    const cancel: Activity = { activityId: 'a5', kind: 'deal_cancelled', repId: 'ana', occurredAt: '2026-11-27T09:00:00Z', dealId: 'd1' };
    // The cancellation arrives before the win it cancels: the deal stays open. The three share ana's
    // partition, so once Initech shows up on the board the two before it have been applied.
    const initech: Activity = {
      activityId: 'a6',
      kind: 'opportunity_created',
      repId: 'ana',
      occurredAt: '2026-11-26T09:00:00Z',
      opportunityId: 'opp-initech',
      amount: '500.00',
      currency: 'USD',
    };
    await produce([activity(cancel), activity(won), activity(initech)]);
    await pollUntil(() => item('i2'), (r) => r.item?.['opportunity'] !== null, { timeoutMs: 30_000, what: 'Initech on the board' });
    expect((await item('i1')).item?.['opportunity']).toMatchObject({ status: 'open', stage: 'negotiation' });
    expect((await item('i2')).item?.['opportunity']).toEqual({
      opportunityId: 'opp-initech',
      stage: null,
      status: 'open',
      amount: '500.00',
      expectedCloseDate: null,
      probability: null,
    });

    // Voiding the cancellation makes it won; voiding the newest stage change falls back to the one before.
    await produce([voidOf(cancel), voidOf(negotiation)]);
    const after = await pollUntil(
      () => item('i1'),
      (r) => (r.item?.['opportunity'] as { status?: string })?.status === 'won' && (r.item?.['opportunity'] as { stage?: string }).stage === 'proposal',
      { timeoutMs: 30_000, what: 'the voids on the board' },
    );
    expect(after.item?.['opportunity']).toEqual({
      opportunityId: 'opp-acme',
      stage: 'proposal',
      status: 'won',
      amount: '10000.00',
      expectedCloseDate: '2026-12-31',
      probability: '0.2',
    });
    expect(after.etag).not.toBe(open.etag);
    // Redelivering everything changes nothing.
    await produce([activity(created), activity(won), voidOf(cancel)]);
    expect((await item('i1')).item?.['opportunity']).toEqual(after.item?.['opportunity']);
  });

  it('answers with the body its OpenAPI document describes', async () => {
    const doc = (await (await fetch(`${svc.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }>;
      components: unknown;
    };
    const schema = doc.paths['/v1/sprints/{sprintId}/board']?.get?.responses['200']?.content?.['application/json']?.schema;
    expect(schema).toBeDefined();
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(JSON.parse(JSON.stringify({ $id: 'openapi', components: doc.components })));
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/')));
    const board = (await admin('GET', `/v1/sprints/${sprintId}/board`)).body;
    expect(validate(board) ? [] : validate.errors).toEqual([]);
    // A body missing an item's required field is refused: the schema is not vacuous.
    const broken = structuredClone(board) as { reps: { items: Record<string, unknown>[] }[] };
    delete broken.reps[0]?.items[0]?.['itemId'];
    expect(validate(broken)).toBe(false);
  });
});
