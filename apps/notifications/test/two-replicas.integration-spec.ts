import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { INestApplication } from '@nestjs/common';
import { DateTime } from 'luxon';
import { KPI_METRIC_VALUE_KINDS } from '@pacer/contracts';
import { createServiceApp } from '@pacer/platform';
import { pollUntil, TEST_JWT_SECRET, testBrokers } from '@pacer/testing';
import { NotificationsService } from '../src/app.module';
import { dealWon, FAST_DELIVERY_ENV, memberJoined, NotificationsFixture } from './support/notifications-fixture';
import { Receiver } from './support/receiver';

function metrics(calls: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [metric, kind] of Object.entries(KPI_METRIC_VALUE_KINDS)) out[metric] = kind === 'count' ? 0 : kind === 'money' ? '0.00' : null;
  return { ...out, calls };
}

describe('two replicas on one database: each delivery and each midpoint check happens once', () => {
  let fx: NotificationsFixture;
  let second: INestApplication;
  const receiver = new Receiver();
  const tenant = `t-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fx = await NotificationsFixture.start();
    // A second replica: same database, same consumer group, same topics, its own worker and scheduler.
    ({ app: second } = await createServiceApp(NotificationsService, {
      NODE_ENV: 'test',
      DATABASE_URL: fx.svc.db.url,
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_GROUP_ID: fx.svc.groupId,
      PACER_TOPIC_PREFIX: fx.svc.topicPrefix,
      PACER_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      ...FAST_DELIVERY_ENV,
    }));
    await second.init();
    await receiver.start();
  });

  afterAll(async () => {
    await second?.close();
    await receiver.stop();
    await fx?.close();
  });

  it('sends 60 deals exactly once each and checks a due sprint once', async () => {
    const admin = await fx.token(tenant);
    expect((await fx.api('POST', '/v1/destinations', admin, { name: 'all', kind: 'webhook', url: receiver.url(), eventTypes: ['deal_won', 'behind_pace'] })).status).toBe(201);

    const deals: string[] = [];
    for (let i = 0; i < 60; i++) deals.push(String((await fx.publish(dealWon(tenant, `rep-${i % 7}`, `${i + 1}.00`)))['id']));

    const sprintId = `sp-${randomUUID().slice(0, 8)}`;
    const start = DateTime.utc().startOf('day').minus({ days: 2 });
    await fx.publish(memberJoined(tenant, 'team-a', 'r1', 'Ada'));
    await fx.publish({ type: 'pacer.sprint.planned.v1', tenantId: tenant, data: { sprintId, teamId: 'team-a', startDate: start.toISODate(), lengthDays: 3, goal: 'g' } });
    for (const repId of ['r1', 'r2', 'r3']) {
      await fx.publish({ type: 'pacer.sprint.commitment_set.v1', tenantId: tenant, data: { sprintId, teamId: 'team-a', repId, targets: { calls: 10 }, items: [] } });
      await fx.publish({
        type: 'pacer.kpi.snapshot.v1',
        tenantId: tenant,
        data: { scope: 'rep', scopeId: repId, period: { type: 'sprint', key: sprintId, start: start.toISO(), end: start.plus({ days: 3 }).toISO() }, metrics: metrics(1), revision: 1, asOf: new Date().toISOString() },
      });
    }
    await fx.publish({ type: 'pacer.sprint.started.v1', tenantId: tenant, data: { sprintId, teamId: 'team-a' } });

    await pollUntil(() => receiver.accepted(), (r) => r.length >= 63, { what: '60 deals and 3 behind-pace notifications' });
    // Several more polls and scheduler ticks of both replicas: nothing else arrives.
    await delay(3_000);
    const got = receiver.accepted();
    const ids = got.map((r) => `${String(r.json['type'])}:${String(r.json['sourceEventId'])}:${JSON.stringify((r.json['rep'] as { id: string }).id)}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(got.filter((r) => r.json['type'] === 'deal_won').map((r) => String(r.json['sourceEventId'])).sort()).toEqual([...deals].sort());
    expect(got.filter((r) => r.json['type'] === 'behind_pace').map((r) => (r.json['rep'] as { id: string }).id).sort()).toEqual(['r1', 'r2', 'r3']);
  });
});
