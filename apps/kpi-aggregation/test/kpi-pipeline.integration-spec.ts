import { Producer } from 'kafkajs';
import { KpiSnapshotData, TOPICS } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { KpiEventBuilder } from './support/kpi-event.builder';
import { oracleSnapshots } from './support/kpi-oracle';
import { buildScenario } from './support/kpi-scenario';
import { getJson, inputProducer, latestSnapshots, produceEvents, token } from './support/kpi-service.fixture';

/** Differences between the oracle and the topic (metrics and asOf), empty when they agree. */
function mismatches(expected: ReturnType<typeof oracleSnapshots>, actual: Map<string, KpiSnapshotData>): string[] {
  const out: string[] = [];
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (JSON.stringify(got?.metrics) !== JSON.stringify(want.metrics) || got?.asOf !== want.asOf) {
      out.push(`${key}: want ${JSON.stringify({ m: want.metrics, asOf: want.asOf })} got ${JSON.stringify({ m: got?.metrics, asOf: got?.asOf })}`);
    }
  }
  return out.slice(0, 5);
}

describe('activities in, snapshots out (real Kafka and Postgres)', () => {
  let svc: RunningService;
  let kpiTopic: TopicRecorder;
  let producer: Producer;

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
    kpiTopic = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.kpi)]).start();
    producer = await inputProducer();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await kpiTopic?.stop();
    await svc?.close();
  });

  it('publishes every snapshot a naive recomputation expects, and the API serves the same numbers', async () => {
    const scenario = buildScenario(uniqueName('pipeline'), 1500);
    // Activities first, roster and settings after them: late membership and late settings on a live service.
    await produceEvents(producer, svc.topicPrefix, scenario.activities.slice(0, 700));
    await produceEvents(producer, svc.topicPrefix, scenario.setup);
    await produceEvents(producer, svc.topicPrefix, scenario.activities.slice(700));

    const expected = oracleSnapshots(scenario.tenantId, [...scenario.setup, ...scenario.activities]);
    expect(expected.size).toBeGreaterThan(300);
    const diffs = await pollUntil(
      () => mismatches(expected, latestSnapshots(kpiTopic.records, scenario.tenantId)),
      (d) => d.length === 0,
      { timeoutMs: 45_000, intervalMs: 250, what: 'the KPI topic to match the oracle' },
    ).catch(() => mismatches(expected, latestSnapshots(kpiTopic.records, scenario.tenantId)));
    expect(diffs).toEqual([]);

    const topic = latestSnapshots(kpiTopic.records, scenario.tenantId);
    const bi = await token(scenario.tenantId, ['bi']);
    for (const [scope, scopeId, period] of [
      ['org', scenario.tenantId, 'month'],
      ['team', 'hunters', 'sprint'],
      ['rep', 'cyd', 'day'],
      ['team', 'farmers', 'week'],
    ] as const) {
      const res = await getJson<{ items: KpiSnapshotData[] }>(svc.baseUrl, `/v1/kpis?scope=${scope}&scopeId=${scopeId}&period=${period}`, bi);
      expect(res.status).toBe(200);
      const fromTopic = [...topic.values()].filter((s) => s.scope === scope && s.scopeId === scopeId && s.period.type === period);
      expect(res.body.items.length).toBe(fromTopic.length);
      expect(res.body.items).toEqual(expect.arrayContaining(fromTopic));
    }
    const one = await getJson<{ items: KpiSnapshotData[] }>(svc.baseUrl, `/v1/kpis?scope=org&period=month&key=2026-11`, bi);
    expect(one.body.items).toEqual([[...topic.values()].find((s) => s.scope === 'org' && s.period.type === 'month' && s.period.key === '2026-11')]);
  });

  it('counts a CloudEvent delivered twice, and an activity re-published at another offset, once', async () => {
    const tenantId = uniqueName('dupes');
    const b = new KpiEventBuilder(tenantId);
    const call = b.call('ann', '2026-11-27T10:00:00Z');
    const won = b.dealWon('ann', '2026-11-27T11:00:00Z', { dealId: 'd1', amount: '100.00' });
    await produceEvents(producer, svc.topicPrefix, [call, won, call, won]);
    // The same activity under another CloudEvent id (a producer that re-published it), then a marker on the same partition.
    await produceEvents(producer, svc.topicPrefix, [{ ...call, id: `${call.id}-again` }, b.email('ann', '2026-11-27T12:00:00Z')]);
    const key = `${tenantId}:rep:ann:day:2026-11-27`;
    const snapshot = await pollUntil(
      () => latestSnapshots(kpiTopic.records, tenantId).get(key),
      (s) => s?.metrics.emails === 1,
      { timeoutMs: 30_000, what: 'the marker email' },
    );
    expect(snapshot?.metrics).toMatchObject({ calls: 1, dealsWon: 1, revenueWon: '100.00', emails: 1 });
    const rows = (await svc.dataSource.query(`SELECT count(*)::int AS n FROM kpi_facts WHERE tenant_id = $1`, [tenantId])) as { n: number }[];
    expect(rows[0]?.n).toBe(3);
  });
});
