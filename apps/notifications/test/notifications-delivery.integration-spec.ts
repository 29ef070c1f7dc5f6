import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { KPI_METRIC_VALUE_KINDS } from '@pacer/contracts';
import { pollUntil } from '@pacer/testing';
import { dealWon, memberJoined, NotificationsFixture } from './support/notifications-fixture';
import { Receiver, verifySignature } from './support/receiver';

interface Destination {
  destinationId: string;
  secret?: string;
  urlHint: string;
  status: { breaker: { state: string }; lastSuccessAt: string | null; lastFailureAt: string | null; pending: number };
}
interface Deliveries {
  status: Destination['status'];
  items: { deliveryId: string; type: string; status: string; attempts: number; lastStatusCode: number | null }[];
}

const ALL_TYPES = ['behind_pace', 'deal_won', 'spiff_awarded', 'deal_pending_approval', 'dispute_opened', 'statement_approved', 'period_paid'];

function zeroMetrics(overrides: Record<string, unknown>): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const [metric, kind] of Object.entries(KPI_METRIC_VALUE_KINDS)) {
    metrics[metric] = kind === 'count' ? 0 : kind === 'money' ? '0.00' : null;
  }
  return { ...metrics, ...overrides };
}

describe('notifications: events in, signed deliveries out (real Kafka, Postgres and HTTP receiver)', () => {
  let fx: NotificationsFixture;
  let receiver: Receiver;
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  const other = `t-${randomUUID().slice(0, 8)}`;
  let admin: string;

  beforeAll(async () => {
    fx = await NotificationsFixture.start();
    receiver = await new Receiver().start();
    admin = await fx.token(tenant);
  });

  afterAll(async () => {
    await receiver?.stop();
    await fx?.close();
  });

  async function create(body: Record<string, unknown>, token = admin): Promise<Destination> {
    const res = await fx.api<Destination>('POST', '/v1/destinations', token, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  it('keeps destinations per tenant, admin only, URL and secret never shown again', async () => {
    const created = await create({ name: 'ops hook', kind: 'webhook', url: receiver.url('/admin-check'), eventTypes: ['deal_won'] });
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.urlHint).toBe(`http://127.0.0.1:${receiver.port}/…heck`);
    const got = await fx.api<Record<string, unknown>>('GET', `/v1/destinations/${created.destinationId}`, admin);
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain('/admin-check');
    expect(got.body['secret']).toBeUndefined();
    expect(got.body['hasSecret']).toBe(true);

    expect((await fx.api('GET', `/v1/destinations/${created.destinationId}`, await fx.token(other))).status).toBe(404);
    expect((await fx.api('DELETE', `/v1/destinations/${created.destinationId}`, await fx.token(other))).status).toBe(404);
    expect((await fx.api('GET', '/v1/destinations', await fx.token(tenant, ['manager'], 'm1'))).status).toBe(403);
    expect((await fx.api('GET', '/v1/destinations', await fx.token(other))).body).toEqual({ items: [] });

    const bad = await fx.api<{ errors: { path: string }[] }>('POST', '/v1/destinations', admin, {
      name: 'x',
      kind: 'webhook',
      url: 'ftp://example.com/x',
      eventTypes: ['deal_won'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path)).toEqual(['url']);
    const unknown = await fx.api('POST', '/v1/destinations', admin, { name: 'x', kind: 'webhook', url: receiver.url(), eventTypes: ['deal_won'], extra: 1 });
    expect(unknown.status).toBe(400);
    const badType = await fx.api('POST', '/v1/destinations', admin, { name: 'x', kind: 'webhook', url: receiver.url(), eventTypes: ['everything'] });
    expect(badType.status).toBe(400);
    const slackSecret = await fx.api('POST', '/v1/destinations', admin, { name: 'x', kind: 'slack', url: receiver.url(), secret: 'a'.repeat(20), eventTypes: ['deal_won'] });
    expect(slackSecret.status).toBe(400);

    const patched = await fx.api<Destination & { enabled: boolean }>('PATCH', `/v1/destinations/${created.destinationId}`, admin, { enabled: false });
    expect(patched.body.enabled).toBe(false);
    expect((await fx.api('DELETE', `/v1/destinations/${created.destinationId}`, admin)).status).toBe(204);
    expect((await fx.api('GET', `/v1/destinations/${created.destinationId}`, admin)).status).toBe(404);

    // Every command is audited in its own transaction, naming what changed but never the URL or secret.
    const audit = await fx.api<{ items: { type: string; subject: Record<string, string>; summary: Record<string, unknown> }[] }>('GET', '/v1/audit', admin);
    const mine = audit.body.items.filter((i) => i.subject['destinationId'] === created.destinationId);
    expect(mine.map((i) => i.type).sort()).toEqual(['destination.created', 'destination.deleted', 'destination.updated']);
    expect(JSON.stringify(mine)).not.toContain('/admin-check');
    expect(JSON.stringify(mine)).not.toContain(String(created.secret));
  });

  it('delivers a won deal, signed, with the rep and team named; a redelivered event is sent once; team filters hold', async () => {
    const hook = await create({ name: 'all deals', kind: 'webhook', url: receiver.url('/deals'), eventTypes: ['deal_won'] });
    await create({ name: '#wins', kind: 'slack', url: receiver.url('/slack'), eventTypes: ['deal_won'], teamIds: ['team-a'] });
    await create({ name: 'team b only', kind: 'webhook', url: receiver.url('/team-b'), eventTypes: ['deal_won'], teamIds: ['team-b'] });
    await fx.publish({ type: 'pacer.roster.team_created.v1', tenantId: tenant, data: { teamId: 'team-a', name: 'Hunters', salesModel: 'island' } });
    await fx.publish(memberJoined(tenant, 'team-a', 'r1', 'Ada Lovelace'));
    // Topics are not ordered with each other: a deal processed before its rep's membership would be
    // told without name or team (see the README), so this test lets the roster land first.
    await pollUntil(
      () => fx.svc.dataSource.query(`SELECT 1 FROM membership_facts m JOIN teams t USING (tenant_id, team_id) WHERE m.tenant_id = $1 AND m.rep_id = 'r1'`, [tenant]),
      (rows: unknown[]) => rows.length === 1,
      { what: 'the roster applied' },
    );
    const deal = dealWon(tenant, 'r1', '12500.00');
    const published = await fx.publish(deal);
    await fx.publish({ ...deal, id: String(published['id']) }); // redelivery: same CloudEvent id

    const [signed] = await pollUntil(() => receiver.accepted('/deals'), (r) => r.length >= 1, { what: 'the webhook delivery' });
    expect(verifySignature(String(hook.secret), signed!)).toBe(true);
    expect(verifySignature('another-secret-entirely', signed!)).toBe(false);
    expect(signed!.json).toMatchObject({
      type: 'deal_won',
      tenantId: tenant,
      sourceEventId: published['id'],
      rep: { id: 'r1', name: 'Ada Lovelace' },
      teams: [{ id: 'team-a', name: 'Hunters' }],
      title: 'Ada Lovelace won a deal: 12,500.00 USD',
      data: { amount: '12500.00', currency: 'USD' },
    });
    const [block] = await pollUntil(() => receiver.accepted('/slack'), (r) => r.length >= 1, { what: 'the Slack delivery' });
    expect(block!.json['text']).toBe('Ada Lovelace won a deal: 12,500.00 USD');
    expect(Array.isArray(block!.json['blocks'])).toBe(true);

    // A later event on the same partition proves the duplicate was consumed (and made nothing).
    const marker = await fx.publish(dealWon(tenant, 'r1', '1.00'));
    await pollUntil(() => receiver.accepted('/deals').filter((r) => r.json['sourceEventId'] === marker['id']), (r) => r.length === 1, { what: 'the marker deal' });
    expect(receiver.accepted('/deals').filter((r) => r.json['sourceEventId'] === published['id'])).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === '/team-b')).toHaveLength(0);
  });

  it('retries a receiver that fails twice, then succeeds, and shows it in the deliveries', async () => {
    const dest = await create({ name: 'flaky', kind: 'webhook', url: receiver.url('/flaky'), eventTypes: ['period_paid'] });
    receiver.failNext(2);
    await fx.publish({
      type: 'pacer.commission.payout.v1',
      tenantId: tenant,
      data: { repId: 'r1', periodKey: '2026-11', currency: 'USD', total: '3210.50', statementId: 'st-1', statementVersion: 1, somethingNewer: true },
    });
    await pollUntil(() => receiver.accepted('/flaky'), (r) => r.length === 1, { what: 'the delivery after two failures' });
    expect(receiver.received.filter((r) => r.path === '/flaky').map((r) => r.status)).toEqual([500, 500, 200]);
    const list = await pollUntil(
      () => fx.api<Deliveries>('GET', `/v1/destinations/${dest.destinationId}/deliveries`, admin),
      (r) => r.body.items[0]?.status === 'delivered',
    );
    expect(list.body.items).toEqual([expect.objectContaining({ type: 'period_paid', status: 'delivered', attempts: 3, lastStatusCode: 200 })]);
    expect(list.body.status.lastSuccessAt).not.toBeNull();
    expect(list.body.status.lastFailureAt).not.toBeNull();
    expect(list.body.status.breaker.state).toBe('closed');
  });

  it('notifies the commission events it is subscribed to, read by type and field name', async () => {
    await create({ name: 'commission', kind: 'webhook', url: receiver.url('/commission'), eventTypes: ['spiff_awarded', 'deal_pending_approval', 'dispute_opened', 'statement_approved'] });
    const base = { repId: 'r1', currency: 'USD' };
    const delta = { ...base, periodKey: '2026-11', planId: 'p1', planVersion: 1, lineId: `l-${randomUUID()}`, sourceEventIds: ['e0'] };
    await fx.publish({ type: 'pacer.commission.spiff_awarded.v1', tenantId: tenant, data: { ...delta, amount: '-500.00', spiffId: 'club', metric: 'dealsWon', threshold: '3' } });
    await fx.publish({ type: 'pacer.commission.spiff_awarded.v1', tenantId: tenant, data: { ...delta, lineId: 'l2', amount: '500.00', spiffId: 'club', metric: 'dealsWon', threshold: '3' } });
    await fx.publish({
      type: 'pacer.commission.deal_pending_approval.v1',
      tenantId: tenant,
      data: { ...base, dealId: 'd9', amount: '900.00', occurredAt: new Date().toISOString(), activityId: 'a9', activityEventId: 'ev9' },
    });
    await fx.publish({ type: 'pacer.commission.dispute_opened.v1', tenantId: tenant, data: { repId: 'r1', disputeId: 'q1', periodKey: '2026-11', lineId: 'l1', comment: 'Deal d7 is missing' } });
    await fx.publish({
      type: 'pacer.commission.statement_approved.v1',
      tenantId: tenant,
      data: { ...base, periodKey: '2026-11', statementId: 'st-1', statementVersion: 2, total: '4200.00', approvedBy: 'boss' },
    });
    const got = await pollUntil(() => receiver.accepted('/commission'), (r) => r.length >= 4, { what: 'four commission notifications' });
    expect(got.map((r) => r.json['title']).sort()).toEqual([
      'Ada Lovelace disputed a line of the 2026-11 statement',
      'Ada Lovelace earned a SPIFF: 500.00 USD',
      "Ada Lovelace's 2026-11 statement was approved: 4,200.00 USD",
      "Ada Lovelace's deal of 900.00 USD awaits approval",
    ]);
  });

  it('tells once, after the midpoint of a started sprint, which rep and target is behind pace', async () => {
    await create({ name: 'pace', kind: 'webhook', url: receiver.url('/pace'), eventTypes: ['behind_pace'] });
    const today = DateTime.utc().startOf('day');
    const due = `sp-${randomUUID().slice(0, 8)}`;
    const future = `sp-${randomUUID().slice(0, 8)}`;
    await fx.publish(memberJoined(tenant, 'team-a', 'r2', 'Grace Hopper'));
    for (const [sprintId, start, length] of [
      [due, today.minus({ days: 3 }), 4],
      [future, today, 14],
    ] as const) {
      await fx.publish({ type: 'pacer.sprint.planned.v1', tenantId: tenant, data: { sprintId, teamId: 'team-a', startDate: start.toISODate(), lengthDays: length, goal: 'g' } });
      for (const [repId, calls] of [
        ['r1', 10],
        ['r2', 10],
      ] as const) {
        await fx.publish({ type: 'pacer.sprint.commitment_set.v1', tenantId: tenant, data: { sprintId, teamId: 'team-a', repId, targets: { calls, emails: 4 }, items: [] } });
      }
      for (const [repId, calls, emails] of [
        ['r1', 3, 4],
        ['r2', 5, 1],
      ] as const) {
        await fx.publish({
          type: 'pacer.kpi.snapshot.v1',
          tenantId: tenant,
          data: {
            scope: 'rep',
            scopeId: repId,
            period: { type: 'sprint', key: sprintId, start: start.toISO(), end: start.plus({ days: length }).toISO() },
            metrics: zeroMetrics({ calls, emails }),
            revision: 1,
            asOf: new Date().toISOString(),
          },
        });
      }
      // The snapshots travel on another topic than the start: the check reads what has been received
      // when it runs, so the start goes out only once both reps' actuals and commitments are stored.
      await pollUntil(
        () =>
          fx.svc.dataSource.query(
            `SELECT (SELECT count(*) FROM sprint_actuals WHERE tenant_id = $1 AND sprint_id = $2)::int AS actuals,
                    (SELECT count(*) FROM commitments WHERE tenant_id = $1 AND sprint_id = $2)::int AS commitments`,
            [tenant, sprintId],
          ) as Promise<{ actuals: number; commitments: number }[]>,
        ([row]) => row?.actuals === 2 && row.commitments === 2,
        { what: `the actuals and commitments of ${sprintId}` },
      );
      await fx.publish({ type: 'pacer.sprint.started.v1', tenantId: tenant, data: { sprintId, teamId: 'team-a' } });
    }
    const got = await pollUntil(() => receiver.accepted('/pace'), (r) => r.length >= 2, { what: 'behind-pace notifications' });
    expect(got.map((r) => [(r.json['rep'] as { id: string }).id, (r.json['data'] as { metric: string }).metric]).sort()).toEqual([
      ['r1', 'calls'],
      ['r2', 'emails'],
    ]);
    expect(got.every((r) => (r.json['data'] as { sprintId: string }).sprintId === due)).toBe(true);
    expect(got[0]!.json['teams']).toEqual([{ id: 'team-a', name: 'Hunters' }]);
    const [checked] = await fx.svc.dataSource.query(
      `SELECT count(*) FILTER (WHERE midpoint_checked_at IS NOT NULL)::int AS done, count(*) FILTER (WHERE midpoint_checked_at IS NULL)::int AS waiting
         FROM sprints WHERE tenant_id = $1 AND sprint_id = ANY($2)`,
      [tenant, [due, future]],
    );
    expect(checked).toEqual({ done: 1, waiting: 1 });
    // Once: a later tick finds nothing more to say about the checked sprint.
    const before = receiver.accepted('/pace').length;
    await fx.publish(dealWon(tenant, 'r1', '2.00'));
    await pollUntil(() => receiver.accepted('/deals').length, (n) => n >= 3, { what: 'a later delivery' });
    expect(receiver.accepted('/pace')).toHaveLength(before);
  });

  it('does not notify history: an event recorded days ago (a replay) or before the destination existed', async () => {
    await create({ name: 'history', kind: 'webhook', url: receiver.url('/history'), eventTypes: ['deal_won'] });
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const replayed = await fx.publish({ ...dealWon(tenant, 'r1', '7.00', old), recordedTime: old });
    const beforeDestination = await fx.publish({ ...dealWon(tenant, 'r1', '8.00'), recordedTime: new Date(Date.now() - 3_600_000).toISOString() });
    const fresh = await fx.publish(dealWon(tenant, 'r1', '9.00'));
    await pollUntil(() => receiver.accepted('/history'), (r) => r.length >= 1, { what: 'the fresh deal' });
    expect(receiver.accepted('/history').map((r) => r.json['sourceEventId'])).toEqual([fresh['id']]);
    expect([replayed['id'], beforeDestination['id']]).not.toContain(fresh['id']);
  });

  it('"send test" goes through the real delivery path', async () => {
    const dest = await create({ name: 'test me', kind: 'slack', url: receiver.url('/test-me'), eventTypes: ['deal_won'] });
    const res = await fx.api<{ deliveryId: string }>('POST', `/v1/destinations/${dest.destinationId}/test`, admin);
    expect(res.status).toBe(202);
    const [got] = await pollUntil(() => receiver.accepted('/test-me'), (r) => r.length === 1, { what: 'the test message' });
    expect(String(got!.json['text'])).toBe('Test message from Pacer to test me');
    expect((await fx.api('POST', `/v1/destinations/${dest.destinationId}/test`, await fx.token(other))).status).toBe(404);
  });

  it('types a destination can subscribe to are the documented ones', async () => {
    const res = await create({ name: 'everything', kind: 'webhook', url: receiver.url('/all'), eventTypes: ALL_TYPES });
    expect((await fx.api<{ eventTypes: string[] }>('GET', `/v1/destinations/${res.destinationId}`, admin)).body.eventTypes).toEqual(ALL_TYPES);
  });
});
